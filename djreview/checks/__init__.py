"""Python checks, one rule per module, discovered by the registry."""
