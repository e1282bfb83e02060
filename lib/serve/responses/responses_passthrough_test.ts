/** Tests of the native `/responses` fix-ups and the stream fixer. */

import { assertEquals } from "@std/assert";
import { parseEvents } from "../agents/sse_test_util.ts";
import { prepareResponsesBody, ResponsesStreamFixer } from "./responses_passthrough.ts";

Deno.test("prepareResponsesBody: hosted tools out, custom tools as functions", () => {
  const body = {
    model: "gpt-5.1-codex",
    service_tier: "priority",
    tool_choice: { type: "custom", name: "apply_patch" },
    tools: [
      { type: "function", name: "exec_command", parameters: {} },
      { type: "custom", name: "apply_patch", description: "patch", format: { type: "grammar" } },
      { type: "web_search", external_web_access: false },
      { type: "image_generation" },
      { type: "namespace", name: "multi_agent_v1", tools: [] },
    ],
    input: [
      { type: "custom_tool_call", call_id: "c1", name: "apply_patch", input: "*** Begin Patch" },
      { type: "custom_tool_call_output", call_id: "c1", output: "ok" },
    ],
  };
  const { body: out, changes } = prepareResponsesBody(body, { model: "gpt-5.1-codex" });
  assertEquals(out === body, true, "fixed in place: an agent's body can be megabytes");
  assertEquals(out.tools, [
    { type: "function", name: "exec_command", parameters: {} },
    {
      type: "function",
      name: "apply_patch",
      description: "patch",
      parameters: {
        type: "object",
        properties: { input: { type: "string", description: "The tool's free-form input." } },
        required: ["input"],
        additionalProperties: false,
      },
      strict: false,
    },
    { type: "namespace", name: "multi_agent_v1", tools: [] },
  ]);
  assertEquals(out.tool_choice, { type: "function", name: "apply_patch" });
  assertEquals(out.input, [
    {
      type: "function_call",
      call_id: "c1",
      name: "apply_patch",
      arguments: '{"input":"*** Begin Patch"}',
    },
    { type: "function_call_output", call_id: "c1", output: "ok" },
  ]);
  assertEquals("service_tier" in out, false);
  assertEquals(changes, [
    "service_tier removed",
    "2 hosted tool(s) removed",
    "custom tool(s) made functions",
  ]);
  const onlyHosted =
    prepareResponsesBody({ model: "x", tools: [{ type: "web_search" }], tool_choice: "auto" }, {
      model: "y",
    }).body;
  assertEquals([onlyHosted.model, onlyHosted.tools, onlyHosted.tool_choice], [
    "y",
    undefined,
    undefined,
  ]);
});

const event = (data: Record<string, unknown>) => ({
  event: String(data.type),
  data: JSON.stringify(data),
});

Deno.test("ResponsesStreamFixer: ids stay those of output_item.added", () => {
  const fixer = new ResponsesStreamFixer();
  const out = [
    event({ type: "response.created", response: { id: "r" } }),
    event({
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "message", id: "msg_A" },
    }),
    event({ type: "response.output_text.delta", output_index: 0, item_id: "msg_B", delta: "hi" }),
    event({
      type: "response.output_item.done",
      output_index: 0,
      item: { type: "message", id: "msg_C" },
    }),
    event({ type: "response.completed", response: { id: "r", output: [{ id: "msg_D" }] } }),
    event({ type: "response.output_text.delta", output_index: 0, item_id: "late", delta: "x" }),
  ].flatMap((e) => fixer.push(e));
  const events = parseEvents([...out, ...fixer.finish()]);
  assertEquals(events.map((e) => e.event), [
    "response.created",
    "response.output_item.added",
    "response.output_text.delta",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(events[2]!.data.item_id, "msg_A");
  assertEquals(events[3]!.data.item.id, "msg_A");
  assertEquals(events[4]!.data.response.output[0].id, "msg_A");
  assertEquals(fixer.ended, true);
});

Deno.test("ResponsesStreamFixer: a stream without response.completed ends with an error", () => {
  const fixer = new ResponsesStreamFixer();
  const first = fixer.push(event({ type: "response.created", response: {} }));
  assertEquals(first, [
    `event: response.created\ndata: {"type":"response.created","response":{}}\n\n`,
  ]);
  const [end] = parseEvents(fixer.finish());
  assertEquals(end, {
    event: "error",
    data: {
      type: "error",
      code: "stream_incomplete",
      message: "Copilot's stream ended before response.completed",
      param: null,
    },
  });
  assertEquals(fixer.finish(), []);
});

Deno.test("ResponsesStreamFixer: a runaway of blank lines in arguments is stopped", () => {
  const fixer = new ResponsesStreamFixer();
  const delta = (text: string) =>
    fixer.push(
      event({
        type: "response.function_call_arguments.delta",
        output_index: 1,
        item_id: "fc",
        delta: text,
      }),
    );
  assertEquals(parseEvents(delta('{"cmd":"ls"}\n\n')).length, 1);
  for (let i = 0; i < 3; i++) assertEquals(parseEvents(delta("\n\n\n\n\n")).length, 1);
  const [stop] = parseEvents(delta("\n\n\n\n\n\n"));
  assertEquals([stop!.event, stop!.data.code], ["error", "runaway_arguments"]);
  assertEquals([fixer.ended, fixer.finish()], [true, []]);
});
