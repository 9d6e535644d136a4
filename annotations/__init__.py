"""factdesk's domain, one subpackage per stage (each imports only the stages below it; import-linter checks it).

    text → ner → compare → pipeline → review → export        (storage beside compare; training off to the side)

Pure Python: nothing here imports Textual, so every capability is usable from a script, the CLI or a test
without a terminal. ``model`` holds the records every stage shares.
"""
