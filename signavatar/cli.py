"""signavatar command line: gloss, render, serve, batch, export-avatar. A thin shell around signavatar.jobs."""

from __future__ import annotations

import argparse
import dataclasses
import logging.config
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from signavatar import __version__
from signavatar.commands.capture import add_capture_parser, cmd_capture
from signavatar.commands.export_avatar import add_export_avatar_parser, check_glb_path, cmd_export_avatar
from signavatar.commands.lexicon import add_lexicon_parser, cmd_lexicon
from signavatar.commands.memory import add_memory_parser, cmd_memory
from signavatar.commands.train_gloss import add_train_parser, cmd_train_gloss
from signavatar.commands.worker import add_worker_parser, cmd_worker
from signavatar.errors import InvalidInputError, SignavatarError
from signavatar.settings import Settings
from signavatar.types import VIDEO_FORMATS, ClipRequest, RenderOptions, VideoFormat

if TYPE_CHECKING:
    from signavatar.pipeline_protocols import CommandPipeline
    from signavatar.types import GlossSequence

PipelineFactory = Callable[[Settings], "CommandPipeline"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump: "signavatar: error: ..." (exit 2 as argparse does).
        self.exit(2, f"signavatar: error: {message} (see {self.prog} --help)\n")


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in value.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 512x512, got {value!r}") from None
    return w, h


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"a share from 0 to 1, e.g. 0.8, got {value!r}")
    return share


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="signavatar", description="German text -> German Sign Language (DGS) avatar video.")
    p.add_argument("--version", action="version", version=f"signavatar {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    g = sub.add_parser("gloss", help="translate German text to DGS glosses", description="Print the glosses of TEXT.")
    g.add_argument("text", metavar="TEXT", help="German text, or - to read one sentence per line from stdin")
    g.add_argument("--model", type=Path, metavar="MODEL",
                   help="a gloss model from `train-gloss`, used where it is confident, else the rules "
                   "(approved glosses still come first)")
    g.add_argument("--min-confidence", type=_share, metavar="SHARE",
                   help="with --model: the share of the content words the model must know for its glosses "
                   "to be used (default: SIGNAVATAR_MODEL_MIN_CONFIDENCE or 1.0, all of them)")
    g.add_argument("--explain", action="store_true",
                   help="which translator answered (translation memory, model or rules) and why; then one line "
                   "per gloss of the rules: gloss, kind, German words, rule; then dropped words and warnings")

    def options(q: argparse.ArgumentParser) -> None:
        q.add_argument("--format", choices=VIDEO_FORMATS, help="video format (default: from -o suffix, else mp4)")
        q.add_argument("--size", type=_size, default=(512, 512), metavar="WxH", help="frame size (default 512x512)")
        q.add_argument("--fps", type=int, default=25, help="frames per second (default 25)")
        q.add_argument("--speed", type=float, default=1.0, help="signing speed factor (default 1.0)")
        q.add_argument(
            "--background", default=None, metavar="COLOUR",
            help='"#rrggbb", or "transparent" (webm with alpha, png poster); default a light grey',
        )

    r = sub.add_parser("render", help="render one clip", description="Render TEXT (or --glosses or --pose) to a video.")
    r.add_argument("text", metavar="TEXT", nargs="?", help="German text (omit with --glosses or --pose)")
    r.add_argument("--glosses", help='hand-written glosses instead of text, e.g. "TERMIN ICH BRAUCHEN"')
    r.add_argument("--pose", type=Path, metavar="FILE.pose",
                   help="a MediaPipe Holistic recording (pose-format .pose) retargeted onto the avatar")
    r.add_argument("-o", "--output", required=True, type=Path, help="output video; clip.vtt is written next to it")
    r.add_argument("--pose-out", type=Path, metavar="FILE.pose",
                   help="also write the motion as a MediaPipe-Holistic .pose file (pose-format)")
    r.add_argument("--motion", type=Path, metavar="FILE.glb",
                   help="also write the motion as glTF for the 3D player (animates `export-avatar`'s file)")
    options(r)

    s = sub.add_parser("serve", help="run the HTTP service", description="Serve the HTTP API with uvicorn.")
    s.add_argument("--host", help="address to listen on (default: SIGNAVATAR_HOST or 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: SIGNAVATAR_PORT or 8000)")

    b = sub.add_parser("batch", help="render many sentences", description=(
        "Render each item of INPUT into DIR/clips and describe them in DIR/manifest.json; a re-run skips "
        "complete clips."))
    b.add_argument("file", metavar="INPUT", type=Path, help=(
        "CSV (id, text or glosses, option columns), JSON Lines ({id, text | glosses, options}), a folder of "
        ".txt/.gloss files, or a text file with one sentence per line"))
    b.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder (clips/ and manifest.json)")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="local render processes (default 1: in this process)")
    b.add_argument("--celery", nargs="?", const="", metavar="URL", help=(
        "render on Celery workers (`signavatar worker`) behind this Redis broker, e.g. redis://127.0.0.1:6379/0; "
        "without URL: SIGNAVATAR_BROKER_URL (needs the scale extra)"))
    b.add_argument("--stale", action="store_true",
                   help="render only items whose earlier clip has an older lexicon or avatar version")
    options(b)
    add_memory_parser(sub)
    add_train_parser(sub)
    add_capture_parser(sub)
    add_lexicon_parser(sub)
    add_worker_parser(sub)
    add_export_avatar_parser(sub)
    return p


def _options(args: argparse.Namespace, fmt: str) -> RenderOptions:
    from signavatar.jobs.request import parse_background

    background = RenderOptions().background if args.background is None else parse_background(args.background)
    return RenderOptions(
        width=args.size[0], height=args.size[1], fps=args.fps, format=cast(VideoFormat, fmt),  # argparse's choices
        speed=args.speed, background=background,
    )


def _default_pipeline(settings: Settings) -> CommandPipeline:
    from signavatar.pipeline import Pipeline  # lazy: keeps --help fast

    return Pipeline(settings)


def cmd_gloss(args: argparse.Namespace, settings: Settings, factory: PipelineFactory) -> int:
    from signavatar.text_to_gloss.input_text import normalise_text

    if args.min_confidence is not None:
        settings = dataclasses.replace(settings, model_min_confidence=args.min_confidence)
    pipeline = factory(settings)
    model = None
    if args.model is not None:
        from signavatar.gloss_model import load_model

        model = load_model(args.model)

    def translate(text: str) -> GlossSequence:
        return pipeline.translate(text, model=model)

    if args.text != "-":
        text = normalise_text(args.text)
        if not text:
            raise InvalidInputError("TEXT is empty: give a German sentence")
        if args.explain:
            print("\n".join(pipeline.explain(text, model=model).lines()))
            return 0
        print(translate(text))
        return 0
    failed = 0
    for n, line in enumerate(sys.stdin, 1):
        text = normalise_text(line)
        try:
            print(translate(text) if text else "", flush=True)
        except (SignavatarError, ValueError) as exc:  # keep one output line per input line
            print("", flush=True)
            print(f"signavatar: error: line {n}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def cmd_render(args: argparse.Namespace, settings: Settings, factory: PipelineFactory) -> int:
    from signavatar.jobs.plan import plan_glosses
    from signavatar.jobs.render import render_files
    from signavatar.jobs.request import prepare_request

    if sum(x is not None for x in (args.text, args.glosses, args.pose)) != 1:
        raise InvalidInputError("give exactly one of TEXT, --glosses or --pose")
    if args.motion is not None:
        check_glb_path(args.motion, "--motion")
    out: Path = args.output
    fmt = args.format or (out.suffix.lower().lstrip(".") if out.suffix.lower().lstrip(".") in VIDEO_FORMATS else "mp4")
    if args.pose is not None:
        return _render_pose(args, settings, factory, out, fmt)
    request = prepare_request(ClipRequest(args.text, args.glosses, _options(args, fmt)), settings)
    pipeline = factory(settings)
    _check_motion_export(args, pipeline)
    seq = plan_glosses(request, pipeline, settings).sequence
    out.parent.mkdir(parents=True, exist_ok=True)
    vtt = out.with_suffix(".vtt")
    render_files(
        request, seq, pipeline, video=out, subtitles=vtt, settings=settings, pose=args.pose_out, motion=args.motion
    )
    for warning in seq.warnings:
        print(f"signavatar: warning: {warning}", file=sys.stderr)
    print(seq)
    print(out)
    return 0


def _render_pose(args: argparse.Namespace, settings: Settings, factory: PipelineFactory, out: Path, fmt: str) -> int:
    from signavatar.capture.recorded_motion import recorded_motion  # pose-format: only for recordings
    from signavatar.jobs.render import render_track_files
    from signavatar.jobs.request import normalise_options

    options = _options(args, fmt)
    normalise_options(options)
    pipeline = factory(settings)
    if pipeline.skeleton is None:
        raise InvalidInputError("this pipeline draws no avatar: it cannot retarget a recording")
    _check_motion_export(args, pipeline)
    track = recorded_motion(pipeline.skeleton, pipeline.lexicon, args.pose, options.fps)
    if track.duration > settings.max_duration_s:
        raise InvalidInputError(
            f"the recording lasts {track.duration:.0f} s; the limit is {settings.max_duration_s:.0f} s"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    render_track_files(
        track, pipeline, options, video=out, subtitles=out.with_suffix(".vtt"), pose=args.pose_out, motion=args.motion
    )
    print(out)
    return 0


def _check_motion_export(args: argparse.Namespace, pipeline: CommandPipeline) -> None:
    if args.motion is not None and pipeline.avatar is None:
        raise InvalidInputError("this pipeline draws no avatar: it cannot write --motion")


def cmd_serve(args: argparse.Namespace, settings: Settings, factory: PipelineFactory) -> int:
    from api.app import create_app
    from api.auth import serve_refusal
    from api.logs import log_config
    from api.server import serve

    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    settings = dataclasses.replace(settings, host=host)  # the app's Host check knows if it is on loopback
    refusal = serve_refusal(host, settings)
    if refusal is not None:
        print(f"signavatar: error: {refusal}", file=sys.stderr)
        return 2
    logging.config.dictConfig(log_config(settings.log_format, secrets=[settings.api_key, settings.editor_key]))
    # api/server.py: the connection, header and body limits of settings; no uvicorn access log
    return 0 if serve(create_app(settings, factory), settings, host, port) else 1


def cmd_batch(args: argparse.Namespace, settings: Settings, factory: PipelineFactory) -> int:
    from signavatar.commands.batch import run_batch_command

    return run_batch_command(args, settings, factory, _options(args, args.format or "mp4"))


COMMANDS = {
    "gloss": cmd_gloss, "render": cmd_render, "serve": cmd_serve, "batch": cmd_batch,
    "memory": cmd_memory, "train-gloss": cmd_train_gloss, "capture": cmd_capture, "lexicon": cmd_lexicon,
    "worker": cmd_worker, "export-avatar": cmd_export_avatar,
}


def main(argv: Sequence[str] | None = None, pipeline_factory: PipelineFactory | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    factory = pipeline_factory or _default_pipeline
    made: list[CommandPipeline] = []

    def tracked(settings: Settings) -> CommandPipeline:
        made.append(factory(settings))
        return made[-1]

    try:
        settings = Settings.from_env(os.environ)
        try:
            # serve hands the factory to the app, which owns (and closes) its pipelines
            return COMMANDS[args.command](args, settings, factory if args.command == "serve" else tracked)
        finally:
            for pipeline in made:  # releases offscreen GL contexts
                pipeline.close()
    except KeyboardInterrupt:
        print("signavatar: interrupted", file=sys.stderr)
        return 130
    except (SignavatarError, ValueError, OSError) as exc:
        print(f"signavatar: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ValueError) else 1
    except ImportError as exc:
        print(f"signavatar: error: a component is missing: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last resort: one line instead of a traceback
        print(f"signavatar: error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
