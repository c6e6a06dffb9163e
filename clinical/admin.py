"""Django admin of the clinical app."""
