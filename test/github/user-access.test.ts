/** Where the sign-in sends the browser and the code: github.com, or the GitHub Enterprise host (GHE_HOST). */
import { describe, expect, it } from "@jest/globals";
import { apiBaseUrl, authorizationUrl } from "../../src/github/user-access.js";

const client = { clientId: "Iv1.abc", clientSecret: "never-in-the-url" };

describe("the authorize URL", () => {
  it.each([
    [{}, "https://api.github.com", "https://github.com/login/oauth/authorize"],
    [
      { GHE_HOST: "ghe.example.com" },
      "https://ghe.example.com/api/v3",
      "https://ghe.example.com/login/oauth/authorize",
    ],
    [
      { GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" },
      "http://127.0.0.1:8080/api/v3",
      "http://127.0.0.1:8080/login/oauth/authorize",
    ],
  ])("env %j: API %s, authorize at %s", (env, api, authorize) => {
    expect(apiBaseUrl(env)).toBe(api);
    const url = new URL(
      authorizationUrl({
        client,
        baseUrl: api,
        redirectUrl: "https://keeper.example/incident-keeper/callback",
        state: "st",
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(authorize);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "Iv1.abc",
      redirect_uri: "https://keeper.example/incident-keeper/callback",
      state: "st",
      allow_signup: "false",
    });
    expect(url.toString()).not.toContain(client.clientSecret);
  });
});
