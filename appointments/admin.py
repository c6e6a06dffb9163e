"""Django admin of the appointments app."""
