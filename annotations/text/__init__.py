"""Stage 1, text: from files to sentences, dates and numbers.

Decoding and ids (corpus), safe display (textsafety, markdown), sentences and their kinds (segment), dates,
numbers, units, claim cues.
"""
