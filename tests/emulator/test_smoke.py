from testkit.emulator import Emulator


def test_ping_needs_a_key(emulator: Emulator) -> None:
    response = emulator.api("GET", "/ping", key="")
    assert response.status_code == 401
    assert response.json() == {"code": 401, "message": "No valid API key provided", "param": None}
    ok = emulator.api("GET", "/ping")
    assert (ok.status_code, ok.json()) == (200, {"data": "pong!"})
    assert ok.headers["X-ChartMogul-Emulator"]
