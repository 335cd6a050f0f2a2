"""The generator component: overrides/kb/components/generator/."""
