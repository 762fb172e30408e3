// Shopify sends money as decimal strings ("404.95"); we keep it in integer cents so no sum is
// ever off by a floating-point rounding. Amounts with more than two decimals round half-up.
export function amountToCents(amount: string | number): number {
  const text = typeof amount === "number" ? amount.toFixed(6) : amount.trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === "" && !match[3])) throw new Error(`Not an amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = match;
  const padded = (fraction + "000").slice(0, 3);
  const thousandths = Number(whole || "0") * 1000 + Number(padded);
  const cents = Math.floor((thousandths + 5) / 10);
  return sign === "-" && cents !== 0 ? -cents : cents;
}
