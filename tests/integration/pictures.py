"""Checks shared by the integration tests: Graphviz DOT read back into nodes
and edges, `dot -Tsvg` when Graphviz is installed, and headless Chromium
screenshots judged non-blank by decoding the PNG (no imaging library needed).
"""
import os
import re
import shutil
import struct
import subprocess
import zlib

NODE = re.compile(r'^\s*(\w+) \[label="((?:[^"\\]|\\.)*)"(.*)\];$')
EDGE = re.compile(r'^\s*(\w+) -> (\w+) \[label="((?:[^"\\]|\\.)*)"(.*)\];$')


class Graph:
    def __init__(self, text):
        lines = text.strip().splitlines()
        if not lines or not re.match(r'^digraph "[^"]*" \{$', lines[0]) or lines[-1] != "}":
            raise ValueError("not one digraph:\n" + text)
        self.nodes, self.edges = {}, []
        for line in lines[1:-1]:
            if line.strip().startswith(("graph [", "node [", "edge [")):
                continue
            if m := EDGE.match(line):
                self.edges.append({"from": m[1], "to": m[2], "label": m[3], "red": "#c0392b" in m[4]})
            elif m := NODE.match(line):
                self.nodes[m[1]] = {"label": m[2].replace("\\n", "\n"), "red": "#c0392b" in m[3]}
            else:
                raise ValueError(f"unexpected DOT line: {line!r}")
        for e in self.edges:
            if e["from"] not in self.nodes or e["to"] not in self.nodes:
                raise ValueError(f"edge to an undeclared node: {e}")

    def label(self, node):
        return self.nodes[node]["label"]


def dot_available():
    return shutil.which("dot") is not None


def dot_to_svg(path):
    """Graphviz must accept the file; returns the SVG text."""
    result = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or "<svg" not in result.stdout:
        raise ValueError(f"dot -Tsvg {path} failed: {result.stderr}")
    return result.stdout


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def screenshot(page, png, width=1200, height=1600):
    """Renders `page` in headless Chromium into `png`."""
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={width},{height}", f"--screenshot={png}", "file://" + os.path.abspath(page)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, HOME=os.path.dirname(os.path.abspath(png))))
    if not os.path.exists(png):
        raise ValueError(f"chromium wrote no screenshot: {result.stderr[-2000:]}")


def png_pixels(path):
    """(width, height, rows of RGB(A) byte strings) of an 8-bit RGB/RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if depth != 8 or color not in (2, 6):
        raise ValueError(f"unexpected PNG format: depth {depth} color type {color}")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def ink(path):
    """Share of the screenshot's pixels that are not white, and the number of distinct colours."""
    width, height, bpp, rows = png_pixels(path)
    inked, colours = 0, set()
    for row in rows[::4]:  # every fourth row is plenty
        for x in range(0, width * bpp, bpp * 2):
            pixel = row[x:x + 3]
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                inked += 1
    return inked / (len(rows[::4]) * len(range(0, width * bpp, bpp * 2))), len(colours)
