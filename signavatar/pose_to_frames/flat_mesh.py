"""Draws one triangle mesh with per-vertex colours into an offscreen framebuffer and reads the colour back.

This is what pyrender does for our scene with `RenderFlags.FLAT | SKIP_CULL_FACES` (same shader maths:
colour = clamp(vertex colour), 4x multisampling resolved with a linear blit, same camera matrices),
without the parts we pay for and never use: pyrender always reads and linearises the depth buffer
(~4 ms of numpy per 512² frame on this CPU, no public flag skips it) and walks its scene graph
per frame. Only the GL context comes from pyrender's platform classes (EGL or OSMesa): one per thread.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from typing import Any

import numpy as np

from signavatar.errors import RenderError
from signavatar.typed import BoolArray, FloatArray, IntArray, UInt8Array

_VERTEX_SHADER = """#version 330 core
layout(location = 0) in vec3 position;
layout(location = 1) in vec3 color;
uniform mat4 PV;
out vec4 v_color;
void main() {
    gl_Position = PV * vec4(position, 1.0);
    v_color = vec4(color, 1.0);
}
"""
_FRAGMENT_SHADER = """#version 330 core
in vec4 v_color;
out vec4 frag_color;
void main() { frag_color = clamp(v_color, 0.0, 1.0); }
"""
SAMPLES = 4  # pyrender's multisample count: edges look the same as before


class _ThreadContext:
    """The GL context of the calling thread, shared by every target the thread draws (each target
    keeps its own buffers). A context can be current in one thread only, hence one per thread.

    pyrender's EGL teardown also terminates the display that all contexts of the process share, so
    a context whose last target closed is retired, and retired contexts are deleted together once
    no thread of the process holds a live one.
    """

    _lock = threading.Lock()
    _live = 0
    _retired: list[Any] = []
    _local = threading.local()

    def __init__(self, name: str) -> None:
        self.name, self.users = name, 0
        self.platform: Any = self._create(name)

    @classmethod
    def acquire(cls, name: str) -> _ThreadContext:
        ctx: _ThreadContext | None = getattr(cls._local, "context", None)
        if ctx is not None and name != ctx.name:
            raise RenderError(f"this thread already renders with {ctx.name!r}; start a new process for {name!r}")
        if ctx is None:
            ctx = cls._local.context = cls(name)
            with cls._lock:
                _ThreadContext._live += 1
        ctx.users += 1
        return ctx

    def release(self) -> None:
        self.users -= 1
        if self.users:
            return
        if getattr(self._local, "context", None) is self:
            del self._local.context
        cls = _ThreadContext
        with cls._lock:
            cls._retired.append(self.platform)
            cls._live -= 1
            if cls._live:
                return
            while cls._retired:
                # the first delete terminates the shared display; the later ones then fail
                # with EGL_BAD_DISPLAY, harmlessly (their resources went with the display)
                with contextlib.suppress(Exception):
                    cls._retired.pop().delete_context()

    @staticmethod
    def _create(name: str) -> Any:
        if name == "egl":
            from pyrender.platforms.egl import EGLPlatform

            platform: Any = EGLPlatform(16, 16)  # surfaceless: targets draw into their own framebuffers
        else:
            from pyrender.platforms.osmesa import OSMesaPlatform

            platform = OSMesaPlatform(16, 16)
        try:
            platform.init_context()
            platform.make_current()
        except Exception as exc:  # EGL/OSMesa failures surface as bare exceptions or assertions
            raise RenderError(
                f"cannot create an offscreen OpenGL context with {name!r} ({exc!r}); install libegl1 libegl-mesa0 "
                "libgl1-mesa-dri (EGL) or libosmesa6 and set SIGNAVATAR_GL_PLATFORM=osmesa"
            ) from exc
        return platform


class FlatMeshTarget:
    """An offscreen GL context holding one mesh (fixed faces, V vertices) and a camera.

    `draw` replaces the vertex positions and colours and returns the frame, top row first:
    (H, W, 3) uint8, or (H, W, 4) when `alpha` (the background's alpha is `clear_rgba[3]`).
    """

    def __init__(
        self, platform: str, width: int, height: int, faces: IntArray, num_vertices: int,
        view_projection: FloatArray, clear_rgba: tuple[float, float, float, float], alpha: bool,
        open_faces: BoolArray | None = None,
    ) -> None:
        """open_faces: (F,) bool, triangles of one-sided sheets (hair) that must be drawn from both
        sides; all others belong to closed surfaces and are drawn with back faces culled, which
        spares llvmpipe about a third of its rasterising."""
        self.width, self.height, self.alpha = width, height, alpha
        self._num_vertices = num_vertices
        self._context: _ThreadContext | None = _ThreadContext.acquire(platform)
        self._platform = self._context.platform
        from OpenGL import GL

        self._gl = GL
        self._program = self._link()
        GL.glUseProgram(self._program)
        loc = GL.glGetUniformLocation(self._program, "PV")
        GL.glUniformMatrix4fv(loc, 1, GL.GL_TRUE, np.ascontiguousarray(view_projection, dtype=np.float32))
        self._vao = GL.glGenVertexArrays(1)
        GL.glBindVertexArray(self._vao)
        self._vbo_pos, self._vbo_col, self._ebo = GL.glGenBuffers(3)
        for slot, vbo in ((0, self._vbo_pos), (1, self._vbo_col)):
            GL.glBindBuffer(GL.GL_ARRAY_BUFFER, vbo)
            GL.glBufferData(GL.GL_ARRAY_BUFFER, num_vertices * 12, None, GL.GL_STREAM_DRAW)
            GL.glEnableVertexAttribArray(slot)
            GL.glVertexAttribPointer(slot, 3, GL.GL_FLOAT, GL.GL_FALSE, 12, None)
        open_mask = np.zeros(len(faces), bool) if open_faces is None else np.asarray(open_faces, bool)
        ordered = np.concatenate([faces[~open_mask], faces[open_mask]])
        indices = np.ascontiguousarray(ordered, dtype=np.uint32)
        self._num_indices = indices.size
        self._num_closed = int((~open_mask).sum()) * 3
        GL.glBindBuffer(GL.GL_ELEMENT_ARRAY_BUFFER, self._ebo)
        GL.glBufferData(GL.GL_ELEMENT_ARRAY_BUFFER, indices.nbytes, indices, GL.GL_STATIC_DRAW)
        self._fb_ms, self._rb_ms = self._framebuffer(SAMPLES, depth=True)
        self._fb, self._rb = self._framebuffer(0, depth=False)
        GL.glBindVertexArray(0)
        self._clear_rgba = clear_rgba
        self._read_format = GL.GL_RGBA if alpha else GL.GL_RGB
        self._buffer = np.empty((height, width, 4 if alpha else 3), dtype=np.uint8)

    def _link(self) -> int:
        GL = self._gl
        program = GL.glCreateProgram()
        for kind, source in ((GL.GL_VERTEX_SHADER, _VERTEX_SHADER), (GL.GL_FRAGMENT_SHADER, _FRAGMENT_SHADER)):
            shader = GL.glCreateShader(kind)
            GL.glShaderSource(shader, source)
            GL.glCompileShader(shader)
            if not GL.glGetShaderiv(shader, GL.GL_COMPILE_STATUS):
                raise RenderError(f"shader does not compile: {GL.glGetShaderInfoLog(shader)!r}")
            GL.glAttachShader(program, shader)
        GL.glLinkProgram(program)
        if not GL.glGetProgramiv(program, GL.GL_LINK_STATUS):
            raise RenderError(f"shader program does not link: {GL.glGetProgramInfoLog(program)!r}")
        return int(program)

    def _framebuffer(self, samples: int, *, depth: bool) -> tuple[int, list[int]]:
        GL = self._gl
        fb = GL.glGenFramebuffers(1)
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, fb)
        buffers = []
        attachments = ((GL.GL_RGBA, GL.GL_COLOR_ATTACHMENT0), (GL.GL_DEPTH_COMPONENT24, GL.GL_DEPTH_ATTACHMENT))
        for fmt, attachment in attachments:
            if attachment == GL.GL_DEPTH_ATTACHMENT and not depth:
                continue
            rb = GL.glGenRenderbuffers(1)
            GL.glBindRenderbuffer(GL.GL_RENDERBUFFER, rb)
            if samples:
                GL.glRenderbufferStorageMultisample(GL.GL_RENDERBUFFER, samples, fmt, self.width, self.height)
            else:
                GL.glRenderbufferStorage(GL.GL_RENDERBUFFER, fmt, self.width, self.height)
            GL.glFramebufferRenderbuffer(GL.GL_FRAMEBUFFER, attachment, GL.GL_RENDERBUFFER, rb)
            buffers.append(int(rb))
        if GL.glCheckFramebufferStatus(GL.GL_FRAMEBUFFER) != GL.GL_FRAMEBUFFER_COMPLETE:
            raise RenderError("the offscreen framebuffer is incomplete on this OpenGL driver")
        return int(fb), buffers

    def draw(self, positions: FloatArray, colors: FloatArray) -> UInt8Array:
        """positions, colors (V, 3) float32 -> a new frame array (see the class docstring)."""
        GL = self._gl
        self._platform.make_current()
        for vbo, data in ((self._vbo_pos, positions), (self._vbo_col, colors)):
            GL.glBindBuffer(GL.GL_ARRAY_BUFFER, vbo)
            GL.glBufferSubData(GL.GL_ARRAY_BUFFER, 0, self._num_vertices * 12, np.ascontiguousarray(data, np.float32))
        # the context is shared: set all state this draw depends on
        GL.glUseProgram(self._program)
        GL.glBindVertexArray(self._vao)
        GL.glEnable(GL.GL_DEPTH_TEST)
        GL.glDepthFunc(GL.GL_LESS)
        GL.glDisable(GL.GL_BLEND)
        GL.glEnable(GL.GL_MULTISAMPLE)
        GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 1)
        GL.glViewport(0, 0, self.width, self.height)
        GL.glClearColor(*self._clear_rgba)
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, self._fb_ms)
        GL.glClear(GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT)
        GL.glEnable(GL.GL_CULL_FACE)
        GL.glCullFace(GL.GL_BACK)
        GL.glFrontFace(GL.GL_CCW)
        GL.glDrawElements(GL.GL_TRIANGLES, self._num_closed, GL.GL_UNSIGNED_INT, None)
        GL.glDisable(GL.GL_CULL_FACE)
        if self._num_indices > self._num_closed:
            GL.glDrawElements(
                GL.GL_TRIANGLES, self._num_indices - self._num_closed, GL.GL_UNSIGNED_INT,
                ctypes.c_void_p(self._num_closed * 4),
            )
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._fb_ms)
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, self._fb)
        w, h = self.width, self.height
        GL.glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL.GL_COLOR_BUFFER_BIT, GL.GL_LINEAR)
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._fb)
        GL.glReadPixels(0, 0, w, h, self._read_format, GL.GL_UNSIGNED_BYTE, self._buffer)
        frame = self._buffer[::-1].copy()  # GL's rows run bottom-up
        if self.alpha:
            _unpremultiply(frame)
        return frame

    def close(self) -> None:
        if self._context is None:
            return
        GL = self._gl
        # from another thread than the drawing one the context cannot be made current; its
        # buffers then go when the context itself is deleted
        with contextlib.suppress(Exception):
            self._platform.make_current()
            GL.glDeleteFramebuffers(2, [self._fb_ms, self._fb])
            GL.glDeleteRenderbuffers(len(self._rb_ms) + len(self._rb), self._rb_ms + self._rb)
            GL.glDeleteBuffers(3, [self._vbo_pos, self._vbo_col, self._ebo])
            GL.glDeleteVertexArrays(1, [self._vao])
            GL.glDeleteProgram(self._program)
        context, self._context = self._context, None
        context.release()


def _unpremultiply(frame: UInt8Array) -> None:
    """Straight alpha on anti-aliased edges, in place (H, W, 4).

    Resolving 4 samples against a transparent black background averages the colour towards black
    while alpha drops: premultiplied colour. PNG and VP9 expect straight colour, else edges get
    a dark fringe when composited.
    """
    alpha = frame[..., 3]
    edge = np.nonzero((alpha > 0) & (alpha < 255))
    if edge[0].size:
        a = alpha[edge].astype(np.float32)[:, None]
        rgb = frame[edge[0], edge[1], :3].astype(np.float32)
        frame[edge[0], edge[1], :3] = np.clip(rgb * 255.0 / a + 0.5, 0, 255).astype(np.uint8)
