import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** A Server-Sent Events stream being read, as a browser's EventSource reads it. */
export interface SseReader {
  res: Response;
  /** The messages received so far (id, event, data). */
  messages: EventSourceMessage[];
  /** Comment lines received so far (heartbeats). */
  comments(): number;
  /** Closes the stream and waits for the reading to end. */
  stop(): Promise<void>;
}

/** Opens `url` and reads its stream in the background until `stop()`. */
export async function readSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const messages: EventSourceMessage[] = [];
  let comments = 0;
  const parser = createParser({ onEvent: (m) => messages.push(m), onComment: () => comments++ });
  const decoder = new TextDecoder();
  const reading = (async () => {
    if (!res.body) return;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(chunk, { stream: true }));
  })().catch(() => undefined);
  return {
    res,
    messages,
    comments: () => comments,
    stop: async () => {
      abort.abort();
      await reading;
    },
  };
}
