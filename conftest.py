collect_ignore = ["dedup/__main__.py"]
