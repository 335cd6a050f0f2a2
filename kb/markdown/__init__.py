"""The Markdown template of the knowledge base, both ways.

``parse`` cuts Markdown into H2 sections and blocks; ``read`` maps them to regulation data
(``READERS``, one per section); ``write`` writes data back (``WRITERS``); ``blocks`` holds
what both sides must agree on (ids, markers, escapes) and ``fields`` the form fields both
infer from a template's placeholders. The words of the template — headings, labels, table
headers — come from ``kb.vocabulary``.
"""
