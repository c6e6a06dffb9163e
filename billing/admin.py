"""Django admin of the billing app."""
