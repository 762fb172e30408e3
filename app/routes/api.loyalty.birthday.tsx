import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import {
  customerAccountShopper,
  postOnly,
  readBirthdayRequest,
  refuseForeignOrigin,
  saveShopperBirthday,
} from "~/loyalty/storefront/customer-account.server";
import { loyaltyError, loyaltyJson, withShopper } from "~/loyalty/storefront/loyalty-api.server";

const POST_ONLY = "Save your birthday with a POST request.";

// The birthday changes the member: POST only. The browser's CORS preflight (OPTIONS) comes here too.
export const loader = ({ request }: LoaderFunctionArgs) => postOnly(request, POST_ONLY);

// POST /api/loyalty/birthday { "birthday": "MM-DD" }: the shopper tells the store their birthday,
// once (the birthday bonus can't be farmed). Saving the same day again is fine; another is refused.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return postOnly(request, POST_ONLY);
  const door = await customerAccountShopper(request);
  if (door instanceof Response) return door;
  const foreign = refuseForeignOrigin(request, door.cors);
  if (foreign) return foreign;
  const body = await readBirthdayRequest(request);
  if (!body.ok) return door.cors(loyaltyError(body.status, body.code, body.message));
  return door.cors(
    await withShopper(door.identity, "redeem", async (shopper) => {
      const saved = await saveShopperBirthday(shopper, body.birthday);
      if (!saved.ok) return loyaltyError(409, "birthdayAlreadySet", saved.message);
      return loyaltyJson({ birthday: body.birthday });
    }),
  );
};
