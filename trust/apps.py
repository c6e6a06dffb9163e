from django.apps import AppConfig


class TrustConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'trust'

    def ready(self):
        from hospital import dates

        # Every date and timestamp the API (and the admin) accepts lies in 1900…2100.
        dates.install()
