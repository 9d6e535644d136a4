"""The marks database, beside the analysis stages (the pipeline caches through its atomic files).

Atomic files, the TinyDB layout, mark records, database files and backups, the change log, migrations, where files
live.
"""
