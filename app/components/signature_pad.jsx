// The signature field's drawing: a canvas drawn on with a finger, a pen or the mouse (pointer events).
// When a stroke ends, `onDrawn` hears the drawing as a PNG data URL ("" once cleared); the server
// checks it again (a PNG, under 300 kB). `image` is the saved drawing, painted back on a reload or on
// another device. Keyboard users sign with the typed name beside it. Compiled into the bundle: no eval.
import { useCallback, useEffect, useRef, useState } from "react";
import { Button, Flex, Text } from "@radix-ui/themes";

const WIDTH = 600;
const HEIGHT = 180;

export function SignaturePad({ image, label, onDrawn, disabled }) {
  const canvas = useRef(null);
  const drawing = useRef(false);
  const last = useRef(null);
  const [empty, setEmpty] = useState(!image);

  useEffect(() => {
    const node = canvas.current;
    if (!node) return;
    const context = node.getContext("2d");
    context.clearRect(0, 0, WIDTH, HEIGHT);
    if (image) {
      const picture = new Image();
      picture.onload = () => context.drawImage(picture, 0, 0, WIDTH, HEIGHT);
      picture.src = image;
      setEmpty(false);
    } else {
      setEmpty(true);
    }
  }, [image]);

  const point = (event) => {
    const box = canvas.current.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * WIDTH) / box.width, y: ((event.clientY - box.top) * HEIGHT) / box.height };
  };

  const down = useCallback((event) => {
    if (disabled) return;
    event.preventDefault();
    canvas.current.setPointerCapture(event.pointerId);
    drawing.current = true;
    last.current = point(event);
  }, [disabled]);

  const move = useCallback((event) => {
    if (!drawing.current) return;
    const context = canvas.current.getContext("2d");
    const here = point(event);
    context.strokeStyle = "#111";
    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(last.current.x, last.current.y);
    context.lineTo(here.x, here.y);
    context.stroke();
    last.current = here;
    setEmpty(false);
  }, []);

  const up = useCallback(() => {
    if (!drawing.current) return;
    drawing.current = false;
    if (onDrawn) onDrawn(canvas.current.toDataURL("image/png"));
  }, [onDrawn]);

  const clear = useCallback(() => {
    canvas.current.getContext("2d").clearRect(0, 0, WIDTH, HEIGHT);
    setEmpty(true);
    if (onDrawn) onDrawn("");
  }, [onDrawn]);

  return (
    <Flex direction="column" gap="2" width="100%">
      <canvas
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={label}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        style={{
          width: "100%",
          maxWidth: "600px",
          aspectRatio: `${WIDTH} / ${HEIGHT}`,
          touchAction: "none",
          background: "white",
          border: "1px dashed var(--gray-8)",
          borderRadius: "var(--radius-3)",
          cursor: disabled ? "default" : "crosshair",
        }}
      />
      <Flex gap="3" align="center" wrap="wrap">
        <Text size="1" color="gray">
          {empty ? "Draw your signature above with a finger or the mouse, or just type your name." : "Drawn."}
        </Text>
        <Button type="button" size="1" variant="soft" color="gray" onClick={clear} disabled={disabled || empty}>
          Clear drawing
        </Button>
      </Flex>
    </Flex>
  );
}
