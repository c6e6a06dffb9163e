"""Date-range filters read days of the hospital's calendar and refuse impossible dates."""

import pytest


@pytest.mark.parametrize("path", ["/api/admin/audit-events/", "/api/appointments/"])
def test_last_calendar_day_is_a_clear_400_not_a_500(api, admin_user, path):
    response = api(admin_user).get(path, {"date_to": "9999-12-31"})

    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/admin/audit-events/", "/api/appointments/"])
def test_a_day_that_is_not_a_date_is_400(api, admin_user, path):
    assert api(admin_user).get(path, {"date_from": "2026-02-30"}).status_code == 400
