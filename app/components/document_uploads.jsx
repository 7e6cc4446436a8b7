// The document uploader: choose or drop files; each is sent on its own to the upload route
// (POST /_documents/upload?…) with XMLHttpRequest, so its progress bar moves as its bytes go out.
// Refusals (size, type, access) come back per file and are shown beside it. When the queue is
// empty, `onDone` tells the page's state to reload its list. Compiled into the bundle: no eval.
import { useCallback, useRef, useState } from "react";
import { Button, Card, Flex, Progress, Text } from "@radix-ui/themes";

const INTERRUPTED = "The upload was interrupted. Check your connection and try again.";
const FAILED = "The upload failed. Please try again.";

function send(url, file, onProgress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        onProgress(Math.min(100, Math.round((event.loaded * 100) / event.total)));
      }
    };
    request.onload = () => {
      const answer = request.response || {};
      if (request.status >= 200 && request.status < 300) {
        resolve({ ok: true });
      } else {
        resolve({ ok: false, error: answer.error || FAILED });
      }
    };
    request.onerror = () => resolve({ ok: false, error: INTERRUPTED });
    request.onabort = () => resolve({ ok: false, error: INTERRUPTED });
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}

function statusWords(item) {
  if (item.status === "waiting") return "Waiting";
  if (item.status === "uploading") return `Uploading, ${item.percent}%`;
  if (item.status === "processing") return "Checking and saving…";
  if (item.status === "done") return "Uploaded";
  return "Not uploaded";
}

export function DocumentUploads({ url, accept, maxBytes, buttonLabel, hint, inputId, onDone, disabled }) {
  const [items, setItems] = useState([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef(null);
  const queue = useRef(Promise.resolve());
  const counter = useRef(0);

  const update = useCallback((id, change) => {
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }, []);

  const start = useCallback(
    (files) => {
      const added = Array.from(files || []).map((file) => ({
        id: ++counter.current,
        name: file.name,
        file,
        percent: 0,
        status: "waiting",
        error: "",
      }));
      if (!added.length) return;
      setItems((list) => [...list.filter((item) => item.status === "waiting" || item.status === "uploading"), ...added]);
      const target = url;
      queue.current = queue.current.then(async () => {
        for (const item of added) {
          if (maxBytes && item.file.size > maxBytes) {
            const mb = Math.floor(maxBytes / (1024 * 1024));
            update(item.id, { status: "error", error: `This file is larger than ${mb} MB, the most that can be uploaded.` });
            continue;
          }
          update(item.id, { status: "uploading" });
          const result = await send(target, item.file, (percent) =>
            update(item.id, { percent, status: percent >= 100 ? "processing" : "uploading" }),
          );
          update(item.id, result.ok ? { status: "done", percent: 100, file: null } : { status: "error", error: result.error, file: null });
        }
        if (onDone) onDone();
      });
    },
    [url, maxBytes, onDone, update],
  );

  const drop = (event) => {
    event.preventDefault();
    setDragging(false);
    if (!disabled) start(event.dataTransfer.files);
  };

  return (
    <Card
      variant="surface"
      onDragOver={(event) => {
        event.preventDefault();
        if (!dragging) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      style={{
        width: "100%",
        borderStyle: "dashed",
        borderWidth: "2px",
        borderColor: dragging ? "var(--accent-8)" : "var(--gray-6)",
        background: dragging ? "var(--accent-2)" : undefined,
      }}
    >
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3" wrap="wrap">
          <Button type="button" onClick={() => input.current && input.current.click()} disabled={disabled}>
            {buttonLabel}
          </Button>
          <Text size="2" color="gray">
            {hint}
          </Text>
          <input
            ref={input}
            id={inputId}
            type="file"
            multiple
            accept={accept}
            hidden
            aria-label={buttonLabel}
            onChange={(event) => {
              start(event.target.files);
              event.target.value = "";
            }}
          />
        </Flex>
        {items.length > 0 && (
          <ul aria-label="Uploads" aria-live="polite" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {items.map((item) => (
              <li key={item.id} style={{ padding: "var(--space-2) 0" }}>
                <Flex justify="between" gap="3" align="center">
                  <Text size="2" weight="medium" style={{ overflowWrap: "anywhere" }}>
                    {item.name}
                  </Text>
                  <Text size="1" color={item.status === "error" ? "red" : "gray"}>
                    {statusWords(item)}
                  </Text>
                </Flex>
                {item.status !== "error" && (
                  <Progress
                    value={item.percent}
                    max={100}
                    size="1"
                    mt="1"
                    aria-label={`Upload of ${item.name}`}
                    color={item.status === "done" ? "grass" : undefined}
                  />
                )}
                {item.status === "error" && (
                  <Text as="p" role="alert" size="2" color="red" mt="1">
                    {item.name}: {item.error}
                  </Text>
                )}
              </li>
            ))}
          </ul>
        )}
      </Flex>
    </Card>
  );
}
