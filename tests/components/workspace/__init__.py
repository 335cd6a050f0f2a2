"""The ticket workspace component: overrides/kb/components/workspace/."""
