"""Celery beat exactly once, however many beat processes run (one per host for failover).

Only the beat that holds a lock in Redis sends scheduled tasks; the others wait and check every
few seconds. The holder renews the lock on every tick (the loop runs at least every
`BEAT_SPERRE_SEKUNDEN / 3`); if its host dies, the lock expires and a waiting beat takes over
within `BEAT_SPERRE_SEKUNDEN`. Renewing compares the holder's id first (one Lua script), so a
beat that lost its lock (paused too long) never extends another one's.

Use: `celery -A eakte beat --scheduler eakte.common.beat:EinmalScheduler`.
"""

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SCHLUESSEL = "eakte:beat:sperre"
VERLAENGERN = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class Sperre:
    def __init__(self, url: str, sekunden: float, kennung: str | None = None):
        self.redis = Redis.from_url(url, socket_timeout=2)
        self.millisekunden = int(sekunden * 1000)
        self.kennung = kennung or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._verlaengern = self.redis.register_script(VERLAENGERN)

    def halten(self) -> bool:
        """Take the lock if free, or renew it if it is ours. False if another holds it or Redis
        does not answer (no Redis: nothing could be sent anyway)."""
        try:
            if self._verlaengern(keys=[SCHLUESSEL], args=[self.kennung, self.millisekunden]):
                return True
            return bool(self.redis.set(SCHLUESSEL, self.kennung, nx=True, px=self.millisekunden))
        except RedisError as fehler:
            logger.warning("Beat-Sperre: Redis nicht erreichbar (%s)", fehler)
            return False

    def freigeben(self) -> None:
        try:
            if self.redis.get(SCHLUESSEL) == self.kennung.encode():
                self.redis.delete(SCHLUESSEL)
        except RedisError:
            pass


class EinmalScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.sperre = Sperre(settings.REDIS_URL, settings.BEAT_SPERRE_SEKUNDEN)
        self._gehalten = None
        super().__init__(*args, **kwargs)
        self.max_interval = min(self.max_interval, settings.BEAT_SPERRE_SEKUNDEN / 3)

    def tick(self, *args, **kwargs):
        gehalten = self.sperre.halten()
        if gehalten != self._gehalten:
            self._gehalten = gehalten
            if gehalten:
                logger.info("Beat %s hält die Beat-Sperre und sendet", self.sperre.kennung)
            else:
                logger.info("Beat %s wartet: ein anderer Beat sendet", self.sperre.kennung)
        if not gehalten:
            return self.max_interval
        return min(super().tick(*args, **kwargs), self.max_interval)

    def close(self):
        self.sperre.freigeben()
        super().close()
