"""Loading: safe YAML with line numbers (exact loader, plus one removable fast path) → regulations."""
