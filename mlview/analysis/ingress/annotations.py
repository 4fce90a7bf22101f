"""The ingress-nginx annotation catalogue, as data, and how the controller parses values.

Facts encoded here come from the ingress-nginx documentation and parser code
(docs/user-guide/nginx-configuration/annotations.md, annotations-risk.md, configmap.md;
internal/ingress/annotations/parser/validators.go, annotations/proxy/main.go):

- Annotation keys and values are strings; booleans and numbers must be quoted ("true", "120").
- Timeouts (proxy-connect/send/read-timeout, ...) are unitless integer seconds, parsed with Go's
  strconv.Atoi: "120" is valid, "120s" is not. Defaults (ConfigMap): connect 5, send 60, read 60.
- Sizes (proxy-body-size, proxy-buffer-size, client-body-buffer-size, ...) must match
  `^(?i)\\d+[bkmg]?$` after spaces are removed: "50m", "50M", "8k", "0" (0 disables the body
  limit). "50 MB" and "1.5m" are invalid. Default proxy-body-size: 1m.
- proxy-buffering / proxy-request-buffering take exactly "on" or "off" (case-sensitive, trimmed);
  defaults off / on. backend-protocol is one of HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS, AJP, FCGI
  (upper-cased first), default HTTP. Booleans follow Go's strconv.ParseBool.
- A value that fails validation is ignored: the controller logs it and uses the ConfigMap value for
  that setting, or its built-in default when the ConfigMap does not set it.
- A canary Ingress (canary: "true") ignores every other annotation except load-balance,
  upstream-hash-by and the session-affinity ones: it inherits the main Ingress's settings.
- use-regex (or rewrite-target) on any Ingress of a host turns every path of that host into a
  case-insensitive regex location.
Risk levels are the controller's own (annotations-risk.md). F5 NGINX Ingress Controller uses the
`nginx.org/` prefix and takes units ("60s"): ingress-nginx ignores those keys.
"""

from __future__ import annotations

import difflib
import functools
import ipaddress
import re
from dataclasses import dataclass

PREFIX = "nginx.ingress.kubernetes.io/"
F5_PREFIX = "nginx.org/"
INGRESS_NGINX_CONTROLLER = "k8s.io/ingress-nginx"  # IngressClass spec.controller
F5_NGINX_CONTROLLER = "nginx.org/ingress-controller"


@dataclass(frozen=True)
class AnnotationSpec:
    name: str  # without prefix
    type: str  # int | size | bool | onoff | protocol | httpver | rewrite | cidr | str
    default: str  # built-in default ("" when none / depends)
    risk: str  # Low | Medium | High | Critical | "" (not in the risk table)
    canary: bool = False  # still honoured on a canary Ingress


# name                                     type      default        risk
_TABLE = """
app-root                                   str       -              Medium
affinity                                   str       -              Low       canary
affinity-mode                              str       balanced       Medium    canary
affinity-canary-behavior                   str       sticky         Low       canary
allowlist-source-range                     cidr      -              Medium
whitelist-source-range                     cidr      -              Medium
denylist-source-range                      cidr      -              Medium
auth-realm                                 str       -              Medium
auth-secret                                str       -              Medium
auth-secret-type                           str       auth-file      Low
auth-type                                  str       -              Low
auth-tls-secret                            str       -              Medium
auth-tls-verify-depth                      int       1              Low
auth-tls-verify-client                     str       on             Medium
auth-tls-error-page                        str       -              High
auth-tls-pass-certificate-to-upstream      bool      false          Low
auth-tls-match-cn                          str       -              High
auth-url                                   str       -              High
auth-method                                str       -              Low
auth-signin                                str       -              High
auth-signin-redirect-param                 str       -              Medium
auth-request-redirect                      str       -              Medium
auth-response-headers                      str       -              Medium
auth-proxy-set-headers                     str       -              Medium
auth-snippet                               str       -              Critical
auth-cache-key                             str       -              Medium
auth-cache-duration                        str       -              Medium
auth-keepalive                             int       0              Low
auth-keepalive-requests                    int       1000           Low
auth-keepalive-timeout                     int       60             Low
auth-keepalive-share-vars                  bool      false          Low
auth-always-set-cookie                     bool      false          Low
enable-global-auth                         bool      true           Low
backend-protocol                           protocol  HTTP           Low
canary                                     bool      false          Low       canary
canary-by-header                           str       -              Medium    canary
canary-by-header-value                     str       -              Medium    canary
canary-by-header-pattern                   str       -              Medium    canary
canary-by-cookie                           str       -              Medium    canary
canary-weight                              int       0              Low       canary
canary-weight-total                        int       100            Low       canary
client-body-buffer-size                    size      -              Low
configuration-snippet                      str       -              Critical
connection-proxy-header                    str       -              Low
custom-headers                             str       -              Medium
custom-http-errors                         str       -              Low
default-backend                            str       -              Low
disable-proxy-intercept-errors             bool      false          Low
enable-cors                                bool      false          Low
cors-allow-origin                          str       *              Medium
cors-allow-methods                         str       -              Medium
cors-allow-headers                         str       -              Medium
cors-expose-headers                        str       -              Medium
cors-allow-credentials                     bool      true           Low
cors-max-age                               int       1728000        Low
fastcgi-index                              str       -              Medium
fastcgi-params-configmap                   str       -              Medium
force-ssl-redirect                         bool      false          Medium
from-to-www-redirect                       bool      false          Low
http2-push-preload                         bool      false          Low
limit-connections                          int       -              Low
limit-rps                                  int       -              Low
limit-rpm                                  int       -              Low
limit-rate                                 int       0              Low
limit-rate-after                           int       0              Low
limit-burst-multiplier                     int       5              Low
limit-allowlist                            cidr      -              Low
limit-whitelist                            cidr      -              Low
load-balance                               str       round_robin    Low       canary
enable-access-log                          bool      true           Low
enable-rewrite-log                         bool      false          Low
mirror-target                              str       -              High
mirror-host                                str       -              High
mirror-request-body                        str       on             Low
enable-modsecurity                         bool      false          Low
enable-owasp-core-rules                    bool      false          Low
modsecurity-snippet                        str       -              Critical
modsecurity-transaction-id                 str       -              High
enable-opentelemetry                       bool      false          Low
opentelemetry-operation-name               str       -              Medium
opentelemetry-trust-incoming-span          bool      true           Low
enable-opentracing                         bool      false          -
opentracing-trust-incoming-span            bool      true           -
enable-influxdb                            bool      false          -
influxdb-measurement                       str       -              -
influxdb-port                              str       -              -
influxdb-host                              str       -              -
influxdb-server-name                       str       -              -
global-rate-limit                          int       -              -
global-rate-limit-window                   str       -              -
global-rate-limit-key                      str       -              -
global-rate-limit-ignored-cidrs            str       -              -
proxy-body-size                            size      1m             Medium
proxy-buffer-size                          size      4k             Low
proxy-busy-buffers-size                    size      -              Low
proxy-buffering                            onoff     off            Low
proxy-buffers-number                       int       4              Low
proxy-connect-timeout                      int       5              Low
proxy-send-timeout                         int       60             Low
proxy-read-timeout                         int       60             Low
proxy-cookie-domain                        str       off            Medium
proxy-cookie-path                          str       off            Medium
proxy-http-version                         httpver   1.1            Low
proxy-max-temp-file-size                   size      1024m          Low
proxy-next-upstream                        str       error~timeout  Medium
proxy-next-upstream-timeout                int       0              Low
proxy-next-upstream-tries                  int       3              Low
proxy-redirect-from                        str       off            Medium
proxy-redirect-to                          str       -              Medium
proxy-request-buffering                    onoff     on             Low
proxy-ssl-ciphers                          str       -              Medium
proxy-ssl-name                             str       -              High
proxy-ssl-protocols                        str       -              Low
proxy-ssl-secret                           str       -              Medium
proxy-ssl-server-name                      str       -              Low
proxy-ssl-verify                           str       off            Low
proxy-ssl-verify-depth                     int       1              Low
permanent-redirect                         str       -              Medium
permanent-redirect-code                    int       301            Low
temporal-redirect                          str       -              Medium
temporal-redirect-code                     int       302            Low
preserve-trailing-slash                    bool      false          Medium
rewrite-target                             rewrite   -              Medium
ssl-redirect                               bool      true           Low
use-regex                                  bool      false          Low
ssl-ciphers                                str       -              Low
ssl-prefer-server-ciphers                  bool      -              Low
ssl-passthrough                            bool      false          Low
satisfy                                    str       -              Low
server-alias                               str       -              High
server-snippet                             str       -              Critical
stream-snippet                             str       -              Critical
service-upstream                           bool      false          Low
session-cookie-name                        str       INGRESSCOOKIE  Medium    canary
session-cookie-path                        str       -              Medium    canary
session-cookie-domain                      str       -              Medium    canary
session-cookie-expires                     str       -              Medium    canary
session-cookie-max-age                     str       -              Medium    canary
session-cookie-samesite                    str       -              Low       canary
session-cookie-secure                      bool      false          Low       canary
session-cookie-partitioned                 bool      false          Low       canary
session-cookie-change-on-failure           bool      false          Low       canary
session-cookie-conditional-samesite-none   bool      false          Low       canary
upstream-hash-by                           str       -              High      canary
upstream-hash-by-subset                    bool      false          Low       canary
upstream-hash-by-subset-size               int       3              Low       canary
upstream-vhost                             str       -              Low
use-port-in-redirects                      bool      false          Low
x-forwarded-prefix                         str       -              Medium
"""

# Removed long ago: the controller ignores them. name -> what to use instead.
REMOVED: dict[str, str] = {
    "secure-backends": 'backend-protocol: "HTTPS" (removed in 0.21)',
    "grpc-backend": 'backend-protocol: "GRPC" (removed in 0.21)',
    "add-base-url": "a rewrite-target with capture groups (removed in 0.22)",
    "base-url-scheme": "a rewrite-target with capture groups (removed in 0.22)",
    "session-cookie-hash": "nothing: the cookie value is no longer a hash (removed)",
}

# F5 NGINX (nginx.org/) keys -> the ingress-nginx key that does the same.
F5_EQUIVALENT: dict[str, str] = {
    "proxy-read-timeout": "proxy-read-timeout",
    "proxy-send-timeout": "proxy-send-timeout",
    "proxy-connect-timeout": "proxy-connect-timeout",
    "client-max-body-size": "proxy-body-size",
    "proxy-buffering": "proxy-buffering",
    "proxy-buffer-size": "proxy-buffer-size",
    "rewrites": "rewrite-target",
    "redirect-to-https": "ssl-redirect",
    "ssl-redirect": "ssl-redirect",
    "lb-method": "load-balance",
    "server-snippets": "server-snippet",
    "location-snippets": "configuration-snippet",
}


def _parse_table(text: str) -> dict[str, AnnotationSpec]:
    out: dict[str, AnnotationSpec] = {}
    for line in text.strip().splitlines():
        cols = line.split()
        name, typ, default, risk = cols[:4]
        out[name] = AnnotationSpec(
            name=name,
            type=typ,
            default="" if default == "-" else default.replace("~", " "),
            risk="" if risk == "-" else risk,
            canary=len(cols) > 4 and cols[4] == "canary",
        )
    return out


CATALOGUE: dict[str, AnnotationSpec] = _parse_table(_TABLE)

_INT = re.compile(r"^[+-]?[0-9]+$")  # Go strconv.Atoi: ASCII digits, optional sign
_SIZE = re.compile(r"^[0-9]+[bkmg]?$", re.IGNORECASE)  # parser.SizeRegex, spaces removed
_GO_BOOLS = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
_PROTOCOLS = {"HTTP", "HTTPS", "AUTO_HTTP", "GRPC", "GRPCS", "AJP", "FCGI"}
_REWRITE = re.compile(r"^/?[-._~a-zA-Z0-9/:$]*$")  # parser.RegexPathWithCapture
_EXPECT = {
    "int": "a plain integer (seconds for timeouts, no unit)",
    "size": "a number with an optional b/k/m/g suffix, like 50m",
    "bool": '"true" or "false"',
    "onoff": '"on" or "off"',
    "protocol": "one of " + ", ".join(sorted(_PROTOCOLS)),
    "httpver": '"1.0" or "1.1"',
    "rewrite": "a path with optional $1-style captures",
    "cidr": "comma-separated IPs or CIDRs",
}


def validate(name: str, value: object) -> str | None:
    """Why the controller rejects `value` for annotation `name`, or None when it accepts it."""
    spec = CATALOGUE.get(name)
    if not isinstance(value, str):
        return f"annotation values must be strings (quote {value!r})"
    if spec is None:
        return None
    ok = _valid(spec.type, value)
    return None if ok else f"expected {_EXPECT[spec.type]}"


def _valid(typ: str, value: str) -> bool:
    if typ == "int":
        return bool(_INT.match(value))
    if typ == "size":
        return bool(_SIZE.match(value.replace(" ", "")))
    if typ == "bool":
        return value in _GO_BOOLS
    if typ == "onoff":
        return value.strip() in ("on", "off")
    if typ == "protocol":
        return value.strip().upper() in _PROTOCOLS
    if typ == "httpver":
        return value.strip() in ("1.0", "1.1")
    if typ == "rewrite":
        return bool(_REWRITE.match(value))  # validated without removing spaces
    if typ == "cidr":
        return _cidrs(value)
    return True


def _cidrs(value: str) -> bool:
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            return False
    return True


def parse_bool(value: str) -> bool:
    return value in ("1", "t", "T", "TRUE", "true", "True")


def is_int(value: str) -> bool:
    return bool(_INT.match(value))


def size_bytes(value: str) -> int | None:
    """nginx size -> bytes ("0" is 0, meaning no limit); None when malformed."""
    v = value.replace(" ", "")
    if not _SIZE.match(v):
        return None
    mult = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    unit = v[-1].lower()
    if unit in mult:
        return int(v[:-1]) * mult[unit]
    return int(v)


@functools.lru_cache(maxsize=1024)
def closest(name: str) -> str | None:
    """The known annotation a typo most likely meant (proxy-read-timout -> proxy-read-timeout)."""
    match = difflib.get_close_matches(name, CATALOGUE.keys(), n=1, cutoff=0.75)
    return match[0] if match else None
