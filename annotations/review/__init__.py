"""Stage 5, review: an analysis joined with the store.

Marks per claim with undo and re-anchoring (review, anchor), verdict symbols, reviewer agreement, merging
databases, claim search.
"""
