"""Rendering: the page table of the site and the Jinja2 templates the core renders itself."""
