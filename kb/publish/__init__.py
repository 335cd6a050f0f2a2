"""Publishing: what a production build adds on top of the pages (plain Python, no MkDocs).

``fingerprint`` gives our own scripts and styles content-hashed names (``modules``: an ES
module's imports point at the hashed names, ``jstokens`` reads them), ``csp`` collects the
hashes of the inline scripts for the Content-Security-Policy, ``stamp`` says which build this
is, ``atomic`` builds into a temporary folder and swaps it in, ``nginx`` runs the production
configuration (``deploy/nginx/``) on 127.0.0.1.
"""
