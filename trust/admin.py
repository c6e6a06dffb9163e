"""Django admin of the trust app."""
