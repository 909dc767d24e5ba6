/** Small HTTP helpers: reading bodies, GitHub-style answers, pagination with Link headers. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";
import type { Json } from "./types.js";
import { wallNow } from "./clock.js";

/** What a route answers. A string body is sent as is (raw file contents). */
export interface SimResponse {
  status: number;
  body?: Json | string;
  headers?: Record<string, string>;
}

/** Reads the whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A JSON answer. */
export function json(status: number, body: Json, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers };
}

/** 204 No Content. */
export function noContent(): SimResponse {
  return { status: 204 };
}

/** `per_page` (default 30, at most 100) and `page` (default 1) of a request. */
export function pageParams(
  query: URLSearchParams,
  defaults: { perPage?: number; maxPerPage?: number } = {},
): { perPage: number; page: number } {
  const perPage = Math.min(
    Math.max(Number(query.get("per_page") ?? defaults.perPage ?? 30) || 30, 1),
    defaults.maxPerPage ?? 100,
  );
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  return { perPage, page };
}

/** GitHub's Link header for page `page` of `lastPage`, built on the URL the client used. */
export function linkHeader(publicUrl: URL, page: number, lastPage: number): string | undefined {
  if (lastPage <= 1) return undefined;
  const at = (target: number): string => {
    const url = new URL(publicUrl.toString());
    url.searchParams.set("page", String(target));
    return `<${url.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.join(", ");
}

/** One page of `items` plus the Link header for it. */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  publicUrl: URL,
): { items: T[]; headers: Record<string, string> } {
  const { perPage, page } = pageParams(query);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = linkHeader(publicUrl, page, lastPage);
  return { items: items.slice((page - 1) * perPage, page * perPage), headers: link ? { link } : {} };
}

/** The answer for a thrown error: its GitHub-style body, or a 500 naming the simulator bug. */
export function errorResponse(error: unknown): SimResponse {
  if (error instanceof HttpError) return { status: error.status, body: error.toJson(), headers: error.headers };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { message: `simulator error: ${message}` } };
}

/** Writes an answer: JSON (or raw text for string bodies) with GitHub's headers. */
export function send(res: ServerResponse, response: SimResponse, standard: Record<string, string>): void {
  const headers: Record<string, string> = { ...standard, ...response.headers };
  let payload: string | undefined;
  if (typeof response.body === "string") {
    payload = response.body;
    headers["content-type"] ??= "text/plain; charset=utf-8";
  } else if (response.body !== undefined && response.status !== 204 && response.status !== 304) {
    payload = JSON.stringify(response.body);
    headers["content-type"] = "application/json; charset=utf-8";
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Headers GitHub sends on every answer (rate limits are reported, never exhausted). */
export function standardHeaders(path: string): Record<string, string> {
  return {
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "x-github-request-id": randomUUID().toUpperCase(),
    "x-ratelimit-limit": path.startsWith("/search/") ? "30" : "5000",
    "x-ratelimit-remaining": path.startsWith("/search/") ? "29" : "4999",
    "x-ratelimit-reset": String(Math.floor(wallNow() / 1000) + 3600),
    "x-ratelimit-used": "1",
    "x-ratelimit-resource": path.startsWith("/search/") ? "search" : "core",
  };
}
