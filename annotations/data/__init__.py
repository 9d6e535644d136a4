"""The shipped model data (JSON and gzip JSON: never pickles), read with importlib.resources."""
