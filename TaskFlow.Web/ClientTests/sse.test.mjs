import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, readEventStream, reconnectDelay } from '../wwwroot/assets/js/sse.js';

test('an event with id and JSON data is dispatched at the blank line', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push('id: 42\ndata: {"a":1}\n'), []);
  assert.deepEqual(parser.push('\n'), [{ type: 'message', data: '{"a":1}', id: '42' }]);
  assert.equal(parser.lastEventId, '42');
});

test('comment lines (keep-alives) produce no events', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push(': keep-alive\n\n: again\n\n'), []);
});

test('chunks split anywhere, including inside CRLF, give the same events', () => {
  const text = 'id: 1\r\ndata: first\r\n\r\nid: 2\r\nevent: custom\r\ndata: line one\r\ndata: line two\r\n\r\n';
  const whole = new SseParser().push(text);
  for (let cut = 1; cut < text.length; cut++) {
    const parser = new SseParser();
    const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
    assert.deepEqual(events, whole, `cut at ${cut}`);
  }
  assert.deepEqual(whole, [
    { type: 'message', data: 'first', id: '1' },
    { type: 'custom', data: 'line one\nline two', id: '2' },
  ]);
});

test('a leading BOM, a field without a colon and a value without a space are handled per the spec', () => {
  const parser = new SseParser();
  const events = parser.push('\uFEFFdata\ndata:x\n\n');
  assert.deepEqual(events, [{ type: 'message', data: '\nx', id: '' }]);
});

test('the last event id persists across events and an event without data is not dispatched', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push('id: 7\n\n'), []);
  assert.deepEqual(parser.push('data: y\n\n'), [{ type: 'message', data: 'y', id: '7' }]);
});

test('readEventStream reads a fetch Response body to its end', async () => {
  const chunks = ['id: a\nda', 'ta: {"message":"hi"}\n\n', ': ping\n\nid: b\ndata: 2\n\n'];
  const body = new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  const seen = [];
  const parser = new SseParser();
  await readEventStream(new Response(body), parser, (e) => seen.push(e));
  assert.deepEqual(seen.map((e) => [e.id, e.data]), [['a', '{"message":"hi"}'], ['b', '2']]);
  assert.equal(parser.lastEventId, 'b');
});

test('reconnect back-off doubles from 1 s and is capped at 30 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(reconnectDelay), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});
