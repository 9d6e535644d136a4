"""Stage 4, the pipeline: run the stages once per corpus into a CorpusAnalysis, and cache it.

The cache key covers the articles and a hash of the analysis code and models, so a stale entry is never read.
"""
