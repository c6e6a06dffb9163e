def test_health_answers_ok(anon, db):
    response = anon.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_me_returns_own_account(api, patient):
    response = api(patient.user).get("/api/me/")
    assert response.status_code == 200
    assert response.json()["id"] == str(patient.user_id)
