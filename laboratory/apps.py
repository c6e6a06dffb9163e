from django.apps import AppConfig


class LaboratoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "laboratory"

    def ready(self):
        from clinical.record_sections import admission_section_register
        from laboratory.history import ADMISSION_LAB_ORDERS

        admission_section_register(ADMISSION_LAB_ORDERS)
