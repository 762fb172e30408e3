// Number formatting shared by the admin pages (client and server).
export function formatMoney(amount: number | null, currencyCode: string): string {
  if (amount === null) return "–";
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(amount);
}

export function formatPercent(share: number | null): string {
  if (share === null) return "–";
  return new Intl.NumberFormat("en-US", {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);
}
