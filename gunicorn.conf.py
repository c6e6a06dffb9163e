"""gunicorn settings for the hospital API (read by the Procfile's `web` process).

Two response rules gunicorn has no setting for, applied to its HTTP response class:
- no `Server` header: it would name the software to anyone scanning for a vulnerable version;
- a 413 (body too large) closes the connection, so the unread body is never drained and the
  next bytes on the socket are never read as a new request.
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers
_start_response = wsgi.Response.start_response


def _headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


def _start_response_closing_after_413(self, status, headers, exc_info=None):
    write = _start_response(self, status, headers, exc_info)
    if self.status_code == 413:
        self.force_close()
    return write


wsgi.Response.default_headers = _headers_without_server
wsgi.Response.start_response = _start_response_closing_after_413
