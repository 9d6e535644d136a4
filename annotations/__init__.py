"""factdesk's domain: corpus loading, analysis, comparison, storage and briefs.

Pure Python. Nothing here imports Textual, so every capability is usable from a
script, the CLI or a test without a terminal.
"""
