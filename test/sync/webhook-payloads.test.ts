// Issue 12 item 3: a signed payload is applied only when it is what its topic says and names the
// shop that delivered it; shop/redact erases only a shop that is uninstalled.
import { afterAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { ensureShop } from "~/sync/shops.server";

import { deliver } from "../helpers/deliver";
import { orderPayload } from "../helpers/orders";
import { storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());

const ORDER = 820982911946154508n;
const CUSTOMER = 706405506930370084n;

async function shopWithCustomer(label: string) {
  const shop = uniqueShop(label);
  const { id: shopId } = await ensureShop(shop);
  await storeOfflineSession(shop);
  await deliver({
    topic: "orders/create",
    shop,
    payload: orderPayload({
      id: ORDER,
      updatedAt: "2026-03-01T10:00:00Z",
      customer: { id: CUSTOMER },
      subtotalCents: 10_000,
    }),
  });
  return { shop, shopId };
}

const customerOf = (shopId: string) =>
  prisma.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: CUSTOMER } } });

// Shopify's customers/create sample (API 2026-07).
const customerCreated = {
  id: CUSTOMER,
  created_at: "2021-12-31T19:00:00-05:00",
  updated_at: "2021-12-31T19:00:00-05:00",
  first_name: "Bob",
  last_name: "Biller",
  state: "disabled",
  note: "This customer loves ice cream",
  verified_email: true,
  multipass_identifier: null,
  tax_exempt: false,
  email: "bob@biller.com",
  phone: null,
  currency: "USD",
  addresses: [],
  tax_exemptions: [],
  admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER}`,
};

describe("the delete topics carry only an id", () => {
  it("customers/delete applies Shopify's sample and refuses a customers/create body", async () => {
    const { shop, shopId } = await shopWithCustomer("delete-shape");
    const refused = await deliver({ topic: "customers/delete", shop, payload: customerCreated });
    expect(refused.status).not.toBe(500);
    expect(refused.outcome).not.toBe("applied");
    expect((await customerOf(shopId)).redactedAt).toBeNull();
    const sample = { id: CUSTOMER, tax_exemptions: [], admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER}` };
    expect(await deliver({ topic: "customers/delete", shop, payload: sample })).toMatchObject({
      status: 200,
      outcome: "applied",
    });
    expect((await customerOf(shopId)).redactedAt).not.toBeNull();
  });

  it("customers/delete refuses another object's GID; orders/delete refuses an order body", async () => {
    const { shop, shopId } = await shopWithCustomer("delete-gid");
    const wrongGid = { id: CUSTOMER, admin_graphql_api_id: `gid://shopify/Order/${CUSTOMER}` };
    expect((await deliver({ topic: "customers/delete", shop, payload: wrongGid })).outcome).not.toBe("applied");
    const order = orderPayload({ id: ORDER, updatedAt: "2026-03-02T10:00:00Z", subtotalCents: 100 });
    expect((await deliver({ topic: "orders/delete", shop, payload: order })).outcome).not.toBe("applied");
    const row = await prisma.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: ORDER } } });
    expect(row.deletedAt).toBeNull();
    expect((await customerOf(shopId)).redactedAt).toBeNull();
    expect((await deliver({ topic: "orders/delete", shop, payload: { id: ORDER } })).outcome).toBe("applied");
  });

  it("customers/create refuses an order's body", async () => {
    const shop = uniqueShop("create-shape");
    const { id: shopId } = await ensureShop(shop);
    const order = orderPayload({ id: CUSTOMER, updatedAt: "2026-03-02T10:00:00Z", subtotalCents: 100 });
    expect((await deliver({ topic: "customers/create", shop, payload: order })).outcome).not.toBe("applied");
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
  });
});

describe("app/uninstalled is the shop object of the delivering shop", () => {
  const shopObject = (shop: string | null) => ({
    id: 548380009,
    name: "Super Toys",
    domain: null,
    myshopify_domain: shop,
  });

  it("refuses any other JSON object, and a shop object of another shop", async () => {
    const shop = uniqueShop("uninstall-shape");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    for (const payload of [{}, { id: 1 }, customerCreated, shopObject("someone-else.myshopify.com")]) {
      const delivery = await deliver({ topic: "app/uninstalled", shop, payload });
      expect(delivery.outcome, Object.keys(payload).join()).not.toBe("applied");
      expect(delivery.status).not.toBe(500);
    }
    expect(await prisma.shop.findUniqueOrThrow({ where: { shopDomain: shop } })).toMatchObject({ isActive: true });
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    // Shopify's sample (myshopify_domain null) and a real delivery (the shop's own domain) apply.
    expect((await deliver({ topic: "app/uninstalled", shop, payload: shopObject(shop) })).outcome).toBe("applied");
    expect(await prisma.shop.findUniqueOrThrow({ where: { shopDomain: shop } })).toMatchObject({ isActive: false });
  });
});

describe("privacy requests name the delivering shop", () => {
  it("customers/redact for another shop redacts nothing", async () => {
    const { shop, shopId } = await shopWithCustomer("redact-other-shop");
    const request = {
      shop_id: 954889,
      shop_domain: "someone-else.myshopify.com",
      customer: { id: CUSTOMER, email: "john@example.com", phone: "555-625-1199" },
      orders_to_redact: [ORDER],
    };
    const delivery = await deliver({ topic: "customers/redact", shop, payload: request });
    expect(delivery.status).not.toBe(500);
    expect(delivery.outcome).not.toBe("applied");
    expect(await customerOf(shopId)).toMatchObject({ redactedAt: null, email: `customer-${CUSTOMER}@example.com` });
    const own = { ...request, shop_domain: shop.toUpperCase() };
    expect((await deliver({ topic: "customers/redact", shop, payload: own })).outcome).toBe("applied");
    expect((await customerOf(shopId)).redactedAt).not.toBeNull();
  });

  it("customers/data_request for another shop records nothing", async () => {
    const { shop, shopId } = await shopWithCustomer("data-request-other-shop");
    const request = { shop_id: 954889, shop_domain: "someone-else.myshopify.com", customer: { id: CUSTOMER } };
    expect((await deliver({ topic: "customers/data_request", shop, payload: request })).outcome).not.toBe("applied");
    expect(await prisma.dataRequest.count({ where: { shopId } })).toBe(0);
  });
});

describe("shop/redact", () => {
  it("acknowledges and logs a request for a shop that is installed, deleting nothing", async () => {
    const { shop, shopId } = await shopWithCustomer("shop-redact-installed");
    const delivery = await deliver({ topic: "shop/redact", shop, payload: { shop_id: 954889, shop_domain: shop } });
    expect(delivery).toMatchObject({ status: 200, outcome: "shop-installed" });
    expect(await prisma.shop.count({ where: { id: shopId } })).toBe(1);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(1);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });

  it("erases a shop that was uninstalled", async () => {
    const { shop, shopId } = await shopWithCustomer("shop-redact-uninstalled");
    const uninstall = { id: 548380009, domain: null, myshopify_domain: shop };
    expect((await deliver({ topic: "app/uninstalled", shop, payload: uninstall })).outcome).toBe("applied");
    const delivery = await deliver({ topic: "shop/redact", shop, payload: { shop_id: 954889, shop_domain: shop } });
    expect(delivery).toMatchObject({ status: 200, outcome: "shop-deleted" });
    expect(await prisma.shop.count({ where: { id: shopId } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
  });
});
