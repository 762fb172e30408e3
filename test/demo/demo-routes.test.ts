// The demo's session-token routes hand out tokens that sign in to the demo shop: they answer only
// the names of this machine, so a web page that rebinds its own name to 127.0.0.1 reads nothing.
import type http from "node:http";
import net, { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { demoRouter } from "~/demo/demo-routes.server";

import { apiKey, apiSecret } from "../helpers/shopify";

let server: http.Server;
let port: number;

beforeAll(async () => {
  const app = express();
  app.use(demoRouter({ shop: "demo-routes.myshopify.com", apiKey: apiKey(), apiSecret: apiSecret() }));
  app.get("/elsewhere", (_request, response) => void response.send("not the demo's"));
  server = await new Promise<http.Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

// A raw request, so that the Host header is exactly the one given (fetch sets its own).
function get(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (data: Buffer) => (answer += data.toString()));
    socket.on("end", () => {
      const [head, ...body] = answer.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)![1]), body: body.join("\r\n\r\n") });
    });
    socket.on("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

const TOKEN_ROUTES = [
  "/demo",
  "/demo/session-token",
  "/auth/session-token?shopify-reload=%2Fapp",
  "/demo/app-bridge.js",
];

describe("the demo's routes", () => {
  it("answer 127.0.0.1 and localhost, with or without the port", async () => {
    for (const host of ["127.0.0.1", `127.0.0.1:${port}`, "localhost", `localhost:${port}`]) {
      for (const path of TOKEN_ROUTES) expect((await get(path, host)).status, `${host} ${path}`).toBeLessThan(400);
    }
    const token = await get("/demo/session-token", `127.0.0.1:${port}`);
    expect(token.body).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("refuse any other Host with 403 and no token", async () => {
    const foreign = [
      `rebound.example:${port}`,
      "rebound.example",
      "127.0.0.1.rebound.example",
      "localhost.rebound.example",
      `evil-127.0.0.1:${port}`,
      "LOCALHOST",
      "10.0.0.5",
      "",
    ];
    for (const host of foreign) {
      for (const path of TOKEN_ROUTES) {
        const answer = await get(path, host);
        expect(answer.status, `${host} ${path}`).toBe(403);
        expect(answer.body, `${host} ${path}`).not.toMatch(/id_token|eyJ/);
      }
    }
  });

  it("leave the app's other routes alone", async () => {
    expect(await get("/elsewhere", "rebound.example")).toMatchObject({ status: 200, body: "not the demo's" });
  });
});
