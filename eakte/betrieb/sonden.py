"""The probes of load balancers, container health checks and Prometheus (`/health/live`,
`/health/ready`, `/metrics`) are answered first, before Django checks the Host header and
redirects to HTTPS: they are asked by address over the internal network (a container's own
`localhost`, each web replica's IP), not by the public host name and not through the TLS proxy.
With the usual middleware, `ALLOWED_HOSTS=eakte.example.de` answered them 400 and
`SECURE_SSL_REDIRECT` 301, so the container health check never passed and the proxy never
started. They show no data of any Kommune (`/metrics` only with its token) and build no links,
so the host name does not matter to them; they are left out of the request metrics too (a load
balancer asking every few seconds would drown the pages' latencies)."""

from django.http import Http404, HttpResponseNotFound

from eakte.betrieb.metriken import metriken
from eakte.common.mandantenbereich import systembereich
from eakte.system.views import bereit, lebt

SONDEN = {"/health/live": lebt, "/health/ready": bereit, "/metrics": metriken}


class SondenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sonde = SONDEN.get(request.path_info)
        if sonde is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # no person, no Kommune: the checks read the workers' heartbeats and the queues only
        with systembereich("Betriebssonde"):
            try:
                return sonde(request)
            except Http404:  # /metrics without its token
                return HttpResponseNotFound()
