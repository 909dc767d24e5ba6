import type { JsonObject } from "./types.js";

/** An error that becomes a GitHub-style error answer (`{ message, documentation_url, status }`). */
export class HttpError extends Error {
  readonly status: number;
  readonly extra: JsonObject;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: { extra?: JsonObject; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  /** The JSON body GitHub sends with this status. */
  toJson(): JsonObject {
    return {
      message: this.message,
      ...this.extra,
      documentation_url: "https://docs.github.com/rest",
      status: String(this.status),
    };
  }
}

/** 404 Not Found, GitHub's answer for missing objects and for repositories the caller may not see. */
export class NotFoundError extends HttpError {
  constructor(message = "Not Found") {
    super(404, message);
  }
}

/** 422 Validation Failed with GitHub's `errors` list. */
export function validationFailed(resource: string, field: string, code: string): HttpError {
  return new HttpError(422, "Validation Failed", { extra: { errors: [{ resource, code, field }] } });
}
