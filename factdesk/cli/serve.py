"""``factdesk serve [PATH ...] [--db FILE] [--host HOST] [--port PORT] [--public]``: the reader in a browser.

(Also ``--reviewer NAME`` and ``--theme NAME``, handed to the reader as they are.)

For a reviewer who has a browser but no terminal at hand (or a team that wants to look at one desk together),
textual-serve runs the very reader ``factdesk [PATH ...] --db FILE`` would, one process per browser tab, drawn
in the page by xterm.js. The marks go to the same database through the same Store, so a browser session and a
terminal session on one database see each other's writes as two terminal sessions do.

The page has no login: whoever reaches the address can read every article and mark claims under the reviewer's
name. So the server listens on 127.0.0.1 unless told otherwise, and an address other than a loopback one
(127.0.0.0/8, ::1, ``localhost``) is refused (exit 2) unless ``--public`` says so, and then warned about.

The socket is bound here, before the URL is printed: the URL line on stdout (flushed) means the server is
listening, a port in use is a one-line failure rather than an aiohttp traceback, and ``--port 0`` prints the
port the system picked. What would stop every tab's reader (no readable article, a damaged database) is said
first, in one line (exit 1). The served command is ``sys.executable -m factdesk`` with the arguments shell-quoted
(textual-serve hands it to a shell), the paths made absolute so none can read as an option. Textual and
textual-serve are imported only when the server starts. Ctrl+C stops it (exit 0), closing the browsers' readers,
each of which has saved its marks as it made them.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import signal
import socket
import sys
from pathlib import Path

from factdesk.cli.common import EXIT_USAGE, Failure, Parser, add_corpus_arguments, load, open_store, warn

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "factdesk"


def serve_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk serve",
        description="Run the reader in a web browser (through textual-serve): open the printed URL. Each "
        "browser tab runs its own reader on the same articles and database, as 'factdesk [PATH ...] --db FILE' "
        "would in a terminal. The page has no login, so it is served on this machine only unless --public says "
        "otherwise. Ctrl+C stops the server.",
    )
    add_corpus_arguments(parser)
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="HOST",
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only). An address other than "
        "a loopback one (127.0.0.0/8, ::1, localhost) is refused unless --public is given",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"the TCP port (default: {DEFAULT_PORT}; 0 picks a free one, and the printed URL names it)",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a non-loopback --host (e.g. 0.0.0.0): anyone who can reach that address can read the "
        "articles and mark claims, with no login",
    )
    parser.add_argument(
        "--reviewer",
        metavar="NAME",
        help="your name on marks made in the browser (default as for the reader: $FACTDESK_REVIEWER, else "
        "the name remembered in settings)",
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. factdesk-dark, factdesk-light")
    return parser


def port_number(text: str) -> int:
    """``--port``'s value: a TCP port, 0 to 65535 (argparse turns the error into a one-line usage error)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535): {text!r}")
    return port


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address (brackets around IPv6 allowed), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether ``host`` reaches this machine only: 127.0.0.0/8, ::1 (also as ::ffff:127.x) or "localhost".

    Any other name is not: it could resolve to any interface.
    """
    address = _address(host)
    if address is None:
        return host.strip().lower().rstrip(".") == "localhost"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def host_refusal(host: str, public: bool) -> str | None:
    """Why ``host`` may not be bound (one line), or None when it may: loopback, or anything with ``--public``."""
    if public or is_loopback(host):
        return None
    return (
        f"refusing to serve on {host!r}, which is not a loopback address: anyone who can reach it could read "
        "and mark the articles. Add --public to allow it, or leave --host out to serve on 127.0.0.1"
    )


def public_warning(host: str) -> str:
    return (
        f"serving on {host!r} (--public): anyone who can reach this address can read and mark the articles; "
        "there is no login"
    )


def reader_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs per browser tab: this reader, these paths and database, quoted."""
    argv = [sys.executable, "-m", "factdesk", *(str(Path(path).absolute()) for path in args.paths)]
    if args.db is not None:
        argv += ["--db", str(Path(args.db).absolute())]
    if args.reviewer:
        argv += ["--reviewer", args.reviewer]
    if args.theme:
        argv += ["--theme", args.theme]
    return shlex.join(argv)


def check_reader_opens(args: argparse.Namespace) -> None:
    """What would stop every browser tab's reader (no readable article, a damaged database): said here, once, in
    one line, rather than as a page that ends at once. The articles are only read (no analysis), the store opened
    and closed."""
    load(args.paths)
    open_store(args.db, args.paths).close()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (the first address that binds), or a one-line failure."""
    name = host.strip().removeprefix("[").removesuffix("]")
    try:
        candidates = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise Failure(f"cannot serve on {host!r}: {error}") from None
    problem: OSError | None = None
    for family, kind, protocol, _, address in candidates:
        sock = socket.socket(family, kind, protocol)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
        except OSError as error:
            sock.close()
            problem = error
            continue
        sock.setblocking(False)
        return sock
    reason = problem.strerror if problem is not None and problem.strerror else str(problem)
    raise Failure(f"cannot serve on {host!r} port {port}: {reason}")


def url_of(host: str, sock: socket.socket) -> str:
    """The address a browser opens: the bound port; this machine's name when bound to every interface."""
    port = sock.getsockname()[1]
    address = _address(host)
    if address is not None and address.is_unspecified:
        shown = socket.gethostname()
    elif isinstance(address, ipaddress.IPv6Address):
        shown = f"[{address}]"
    else:
        shown = host.strip()
    return f"http://{shown}:{port}"


def run_serve(args: argparse.Namespace) -> int:
    refusal = host_refusal(args.host, args.public)
    if refusal is not None:
        warn(refusal)
        return EXIT_USAGE
    if not is_loopback(args.host):
        warn(public_warning(args.host))
    check_reader_opens(args)
    try:
        from factdesk.cli.web_server import ReaderServer
    except ImportError as error:  # textual-serve (or aiohttp) missing from an older install
        raise Failure(f"the browser mode needs textual-serve ({error}): pip install textual-serve") from None
    sock = bind(args.host, args.port)
    url = url_of(args.host, sock)
    server = ReaderServer(reader_command(args), sock, url, title=TITLE)
    sys.stdout.write(f"{url}\n")
    sys.stdout.flush()
    try:
        server.serve()
    except KeyboardInterrupt:
        return 130
    finally:
        sock.close()
        # From here the process only exits (waiting for the server's last threads): a second Ctrl+C, or one that
        # reaches it late, must not print a traceback from the interpreter's shutdown.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return 0
