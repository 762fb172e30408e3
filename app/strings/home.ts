// Every user-facing string of the home page, in one object so a translation can replace it whole.
// Sentences with figures are functions: word order differs between languages, so the figures are
// placed by the sentence, not glued around it. The charts' own strings are in insight.ts.
export const homeStrings = {
  title: "Perennial",
  subtitle: (date: string) => `Figures as of the last analysis, ${date} UTC`,
  empty: {
    heading: "No orders yet",
    body: "Perennial shows what your customers are worth once your store's orders are imported.",
  },
  figures: {
    customers: { label: "Customers", help: "Customers with at least one order" },
    orders: { label: "Orders", help: "Excluding cancelled and test orders; guest orders included" },
    repeatPurchaseRate: { label: "Repeat-purchase rate", help: "Share of customers who ordered twice or more" },
    averageOrderValue: {
      label: "Average order value",
      help: "Net revenue per order: after discounts and refunds, before tax and shipping",
    },
    averageNetRevenuePerCustomer: {
      label: "Net revenue per customer",
      help: "Average net revenue to date of customers with an order",
    },
    loyalty: {
      label: "Repeat rate: loyalty members vs others",
      value: (members: string, others: string) => `${members} vs ${others}`,
      help: (date: string) =>
        `Members choose to join, so they may buy more anyway: a difference is not all the program's doing. As of ${date} UTC.`,
    },
  },
  // A figure's change against the previous period. `amount` is already formatted ("$2.10",
  // "1.2 points", "312"); `relative` is a formatted percentage or null.
  change: {
    up: (amount: string, relative: string | null, since: string) =>
      relative ? `Up ${amount} (${relative}) since ${since}` : `Up ${amount} since ${since}`,
    down: (amount: string, relative: string | null, since: string) =>
      relative ? `Down ${amount} (${relative}) since ${since}` : `Down ${amount} since ${since}`,
    none: (since: string) => `No change since ${since}`,
    points: (points: string) => `${points} points`,
  },
  clv: {
    heading: "Customer lifetime value",
    before: "Customer lifetime value appears here after the first analysis of your orders.",
    averageToDate: "Average to date",
    averageToDateHelp: "Net revenue per customer so far",
    predicted: "Predicted, next 12 months",
    predictedHelp: "Expected orders × spend per order × your gross margin, discounted",
    atRisk: (customers: string, value: string) =>
      `${customers} valuable customers are slipping away, worth ${value} over the next 12 months.`,
    atRiskLink: "See customers at risk",
    formula: (value: string, frequency: string, years: string, result: string) =>
      `The textbook formula: ${value} per order × ${frequency} orders a year × ${years} years = ${result} of revenue over a customer's lifetime.`,
    accuracy: (summary: string) => `Model accuracy: ${summary}`,
    lastAnalysed: (date: string) => `Last analysed ${date} UTC.`,
  },
  analyse: {
    button: "Analyse now",
    running: "The analysis is running; the figures update when it finishes.",
  },
  sync: {
    heading: "Sync",
    status: {
      requested: "Waiting to start",
      running: "Shopify is preparing your order history",
      importing: "Importing your order history",
      completed: "Order history imported",
      failed: "The import stopped",
    } as Record<string, string>,
    progress: (imported: string, total: string) => `${imported} of ${total} orders`,
    progressLabel: "Order history imported",
    notStarted: "The order history import has not started.",
    lastWebhook: (date: string) => `Last update from Shopify: ${date} UTC`,
    noWebhook: "No update from Shopify received yet",
    quarantined: (count: string, one: boolean) =>
      `${count} ${one ? "update" : "updates"} from Shopify could not be applied and ${one ? "is" : "are"} kept aside until a fix. Your figures leave ${one ? "it" : "them"} out.`,
  },
  charts: {
    heading: "How your customers come back",
    before: "Charts of retention and value appear here after the first analysis of your orders.",
    seeSegments: "See segments",
  },
} as const;
