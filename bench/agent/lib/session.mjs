// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// A chained agent session and its token accounting.
//
// The model's context is rendered as text in one fixed way for both arms:
//
//   <system>\n{system prompt}\n\n# Tools\n{server instructions\n}{one tool per line}\n</system>\n
//   <user>\n{task text}\n</user>\n
//   <assistant>\n{tool calls}\n</assistant>\n            (one per request with calls)
//   <tool id="cN">\n{result text}\n</tool>\n              (one per call, in call order)
//   <assistant>\n{final answer}\n</assistant>\n
//
// Server instructions are the MCP server's `instructions` (nokv sends one
// sentence; the SQL tools have none). A tool line is the compact JSON {"name","description","parameters"} where
// parameters is the tool's input JSON Schema. The tool calls of one request are
// the compact JSON array [{"id","name","arguments"}, ...]; several calls in one
// request model parallel tool calls. A result text is what the tool returned
// (for MCP, the text content block). Every request re-sends everything before it.
//
// Per request: prompt tokens = o200k_base tokens of the rendered context so far;
// cached tokens = the previous request's prompt tokens (its prompt is a prefix of
// this one); completion tokens = tokens of the assistant message the request
// produced (the calls' JSON, or the answer's JSON).
import { encode } from "gpt-tokenizer/encoding/o200k_base";

export const PRICES = { input: 0.75, cached: 0.075, output: 4.5 }; // USD per million tokens

export function countTokens(text) {
  return encode(text).length;
}

export function toolLine(tool) {
  return JSON.stringify({
    name: tool.name,
    description: tool.description,
    parameters: tool.inputSchema,
  });
}

// instructions: what the server asks the client to show the model (MCP
// `initialize` result `instructions`), placed before the tool lines.
export function toolSection(tools, instructions = "") {
  return (instructions ? `${instructions}\n` : "") + tools.map(toolLine).join("\n");
}

export function systemBlock(systemPrompt, tools, instructions = "") {
  return `<system>\n${systemPrompt}\n\n# Tools\n${toolSection(tools, instructions)}\n</system>\n`;
}

export function cost(t) {
  return (
    ((t.prompt - t.cached) * PRICES.input + t.cached * PRICES.cached + t.completion * PRICES.output) /
    1e6
  );
}

export class Session {
  // arm: {call(name, args) -> {text, isError}}. The plan reads `instructions`
  // as the model reads its system prompt.
  constructor({ arm, systemPrompt, tools, instructions = "", task }) {
    this.arm = arm;
    this.instructions = instructions;
    this.context = systemBlock(systemPrompt, tools, instructions) + `<user>\n${task}\n</user>\n`;
    // Approximate split of the context by kind (each piece counted on its own),
    // to show where prompt tokens go: {system, tools, task, calls, results}.
    this.parts = {
      system: countTokens(systemPrompt),
      tools: countTokens(toolSection(tools, instructions)),
      task: countTokens(task),
      calls: 0,
      results: 0,
    };
    this.requests = []; // {prompt, cached, completion, calls}
    this.transcript = [];
    this.nextId = 1;
    this.toolCalls = 0;
    this.errors = 0;
  }

  #request(assistantText, calls) {
    // calls: the tool names this request called ([] for the answer)
    const prompt = countTokens(this.context);
    const cached = this.requests.length ? this.requests[this.requests.length - 1].prompt : 0;
    const completion = countTokens(assistantText);
    this.requests.push({ prompt, cached, completion, calls, parts: { ...this.parts } });
    this.context += `<assistant>\n${assistantText}\n</assistant>\n`;
    this.parts.calls += completion;
  }

  // One request with one or more parallel tool calls: [[name, args], ...].
  // Returns the parsed results in call order (a failed call's parsed error object).
  async step(calls) {
    const withIds = calls.map(([name, args]) => ({ id: `c${this.nextId++}`, name, arguments: args }));
    this.#request(JSON.stringify(withIds), withIds.map((c) => c.name));
    const parsed = [];
    for (const c of withIds) {
      const r = await this.arm.call(c.name, c.arguments);
      this.toolCalls++;
      if (r.isError) this.errors++;
      this.context += `<tool id="${c.id}">\n${r.text}\n</tool>\n`;
      this.parts.results += countTokens(r.text);
      this.transcript.push({
        id: c.id,
        name: c.name,
        arguments: c.arguments,
        result: r.text,
        isError: !!r.isError,
        request: this.requests.length, // requests after this index carry the result
      });
      let value;
      try {
        value = JSON.parse(r.text);
      } catch {
        value = r.text;
      }
      parsed.push(value);
    }
    return parsed;
  }

  async one(name, args) {
    return (await this.step([[name, args]]))[0];
  }

  // The final request: the model writes the answer.
  answer(value) {
    this.#request(JSON.stringify(value), []);
    this.final = value;
    return value;
  }

  totals() {
    const t = { requests: this.requests.length, toolCalls: this.toolCalls, errors: this.errors, prompt: 0, cached: 0, completion: 0 };
    t.parts = { system: 0, tools: 0, task: 0, calls: 0, results: 0 };
    for (const r of this.requests) {
      for (const k of Object.keys(t.parts)) t.parts[k] += r.parts[k];
      t.prompt += r.prompt;
      t.cached += r.cached;
      t.completion += r.completion;
    }
    t.cost = cost(t);
    return t;
  }
}
