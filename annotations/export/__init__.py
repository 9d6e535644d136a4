"""Stage 6, export: the reviewed brief and the interchange formats.

The brief as data (brief), its builder (build), its Markdown and JSON renderings, the brief of a Review (briefs);
W3C Web Annotation and schema.org ClaimReview (interop).
"""
