"""The work page's scripts: overrides/kb/components/work/ (ES modules, tested in Node)."""
