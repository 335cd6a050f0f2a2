"""The checklist component: overrides/kb/components/checklist/."""
