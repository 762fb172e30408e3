// `npm run -s clv -- fit FILE.csv`: fits the CLV models of app/core/clv to a transaction log
// and reports parameters, fit and, with a holdout period, forecast against actual. For
// analysts checking the models on a shop's export before trusting them in the app.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { z } from "zod";

import {
  checkDataSufficiency,
  collapseFrequencyRows,
  collapseSpendRows,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  forecastCustomers,
  gammaGammaExpectedAverageSpend,
  summarizeTransactions,
  type ClvModel,
  type CustomerSummary,
  type FitResult,
  type GammaGammaParams,
  type TimeUnit,
} from "../app/core/clv";
import { CsvInputError, formatDay, parseDay, readTransactionCsv } from "./lib/transaction-csv";

export const USAGE = `Usage: npm run -s clv -- fit FILE.csv [options]

Fits a purchase model (BG/NBD or Pareto/NBD) and the Gamma-Gamma spend model to a transaction
log and reports the parameters, the log-likelihood and, with --holdout-end, the repeat
transactions forecast for the holdout period against those that happened.

FILE.csv has the header customer_id,date,amount (columns in any order, others ignored). Dates
are YYYY-MM-DD or ISO 8601; the day is the calendar date as written (a time and offset are
checked, not converted), so write timestamps in the shop's time zone. All of a customer's
orders on one day are one transaction. Amounts must be numbers >= 0.

Options:
  --calibration-end YYYY-MM-DD  last day of the calibration period; its orders count, and T runs
                                to the start of that day (default: the last date in FILE, so
                                all of it is calibration)
  --holdout-end YYYY-MM-DD      compare the forecast with orders after the calibration end up
                                to and including this day
  --time-unit day|week          unit of the model's time parameters (default: week)
  --model bgnbd|pareto-nbd      purchase model (default: bgnbd)
  --json                        print one JSON object instead of the report
  -h, --help                    print this help

Exit status: 0 on success, 2 for bad arguments or input (messages name FILE:LINE), 1 otherwise.`;

export type ModelName = "bgnbd" | "pareto-nbd";

export interface FitCommand {
  file: string;
  /** Days since 1970-01-01; undefined means the last date in the file. */
  calibrationEndDay?: number;
  holdoutEndDay?: number;
  timeUnit: TimeUnit;
  model: ModelName;
  json: boolean;
}

export type Command = { kind: "help" } | ({ kind: "fit" } & FitCommand);

/** Bad arguments: exit 2 with the usage on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The data gave the models nothing to fit: exit 1. */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FitError";
  }
}

const dayOption = (name: string) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined) return undefined;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDay(text) : null;
      if (day !== null) return day;
      context.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must be a date YYYY-MM-DD, not ${text}` });
      return z.NEVER;
    });

const fitOptionsSchema = z
  .object({
    "calibration-end": dayOption("--calibration-end"),
    "holdout-end": dayOption("--holdout-end"),
    "time-unit": z.enum(["day", "week"], {
      errorMap: (_issue, context) => ({ message: `--time-unit must be day or week, not ${String(context.data)}` }),
    }),
    model: z.enum(["bgnbd", "pareto-nbd"], {
      errorMap: (_issue, context) => ({ message: `--model must be bgnbd or pareto-nbd, not ${String(context.data)}` }),
    }),
    json: z.boolean(),
  })
  .superRefine((options, context) => {
    const calibrationEnd = options["calibration-end"];
    const holdoutEnd = options["holdout-end"];
    if (calibrationEnd !== undefined && holdoutEnd !== undefined && holdoutEnd < calibrationEnd) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: "--holdout-end is before --calibration-end" });
    }
  });

/** The command a command line asks for; throws UsageError when it makes no sense. */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        "calibration-end": { type: "string" },
        "holdout-end": { type: "string" },
        "time-unit": { type: "string", default: "week" },
        model: { type: "string", default: "bgnbd" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // parseArgs reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
  const { values, positionals } = parsed;
  const [subcommand, ...files] = positionals;
  if (values.help || subcommand === undefined || subcommand === "help") return { kind: "help" };
  if (subcommand !== "fit") throw new UsageError(`Unknown command ${subcommand}`);
  if (files.length !== 1) throw new UsageError(files.length === 0 ? "fit needs a FILE.csv" : "fit takes one FILE.csv");

  const options = fitOptionsSchema.safeParse(values);
  if (!options.success) throw new UsageError(options.error.issues.map((issue) => issue.message).join("\n"));
  return {
    kind: "fit",
    file: files[0],
    calibrationEndDay: options.data["calibration-end"],
    holdoutEndDay: options.data["holdout-end"],
    timeUnit: options.data["time-unit"],
    model: options.data.model,
    json: options.data.json,
  };
}

/** The object `--json` prints. */
export interface ClvFitReport {
  model: ModelName;
  timeUnit: TimeUnit;
  /** Customers whose first transaction is in the calibration period. */
  customers: number;
  /** Those of them with at least one repeat transaction in calibration. */
  repeatCustomers: number;
  /** r, alpha, a, b (BG/NBD) or r, alpha, s, beta (Pareto/NBD), in `timeUnit`. */
  params: Record<string, number>;
  logLikelihood: number;
  /** Gamma-Gamma p, q, gamma; null when no customer has repeat spend. */
  spend: GammaGammaParams | null;
  /** Present when a holdout end was given. */
  holdout?: { actualRepeatTransactions: number; predictedRepeatTransactions: number };
}

/** A fit with what the human-readable report says besides the JSON figures. */
export interface ClvFitOutcome {
  report: ClvFitReport;
  /** Mean over customers of the probability of still being active at the calibration end. */
  expectedActiveShare: number;
  /** Mean purchase rate while active, per time unit (r / alpha). */
  meanPurchaseRate: number;
  /** Population mean value of an order; NaN without a spend model with a finite mean. */
  meanOrderValue: number;
  /** Cautions for stderr: too little data, no convergence, limiting cases. */
  warnings: string[];
}

/**
 * Fits the chosen models to customer summaries (from summarizeTransactions with the same time
 * unit). Giving `holdoutDays` (0 or more) adds the holdout comparison, from the summaries' holdoutX.
 */
export function fitCustomers(
  customers: readonly CustomerSummary[],
  settings: { model: ModelName; timeUnit: TimeUnit; holdoutDays?: number },
): ClvFitOutcome {
  if (customers.length === 0) throw new FitError("No customer made a first purchase by the calibration end");
  const warnings: string[] = [];
  // The app refuses to fit below these thresholds; an analyst may still want to look.
  const sufficiency = checkDataSufficiency(customers);
  if (sufficiency.reason !== null) warnings.push(`${sufficiency.reason}; the app would not fit these data.`);

  const rows = collapseFrequencyRows(customers);
  let purchaseFit: FitResult<Record<string, number>>;
  let purchases: ClvModel["purchases"];
  if (settings.model === "pareto-nbd") {
    const fit = fitParetoNbd(rows);
    purchaseFit = { ...fit, params: { ...fit.params } };
    purchases = { kind: "pareto-nbd", params: fit.params };
  } else {
    const fit = fitBgNbd(rows);
    purchaseFit = { ...fit, params: { ...fit.params } };
    purchases = { kind: "bg-nbd", params: fit.params };
  }
  const modelTitle = settings.model === "pareto-nbd" ? "Pareto/NBD" : "BG/NBD";
  if (!purchaseFit.converged) warnings.push(`The ${modelTitle} fit did not converge.`);
  if (purchaseFit.atLimit) {
    warnings.push(`A ${modelTitle} parameter is at the 1e-8 / 1e8 bound: the data favour a limiting case.`);
  }

  const spendRows = collapseSpendRows(customers);
  const spendFit = spendRows.length > 0 ? fitGammaGamma(spendRows) : null;
  if (spendFit && !spendFit.converged) warnings.push("The Gamma-Gamma spend fit did not converge.");
  if (spendFit && !(spendFit.params.q > 1)) {
    warnings.push("The spend model has q <= 1, so no finite mean order value; the app would not use it.");
  }

  const model: ClvModel = { timeUnit: settings.timeUnit, purchases, spend: spendFit?.params ?? null };
  const columns = {
    x: customers.map((customer) => customer.x),
    tx: customers.map((customer) => customer.tx),
    T: customers.map((customer) => customer.T),
  };
  const current = forecastCustomers(model, columns, 0);
  const expectedActiveShare = current.probabilityAlive.reduce((sum, value) => sum + value, 0) / customers.length;

  const report: ClvFitReport = {
    model: settings.model,
    timeUnit: settings.timeUnit,
    customers: customers.length,
    repeatCustomers: customers.filter((customer) => customer.x > 0).length,
    params: purchaseFit.params,
    logLikelihood: purchaseFit.logLikelihood,
    spend: spendFit ? { ...spendFit.params } : null,
  };
  if (settings.holdoutDays !== undefined) {
    const forecast = forecastCustomers(model, columns, settings.holdoutDays);
    report.holdout = {
      actualRepeatTransactions: customers.reduce((sum, customer) => sum + (customer.holdoutX ?? 0), 0),
      predictedRepeatTransactions: forecast.expectedOrders.reduce((sum, value) => sum + value, 0),
    };
  }
  return {
    report,
    expectedActiveShare,
    meanPurchaseRate: purchaseFit.params.r / purchaseFit.params.alpha,
    meanOrderValue: spendFit ? gammaGammaExpectedAverageSpend(spendFit.params, 0, 0) : NaN,
    warnings,
  };
}

/** Calendar context for the human-readable report. */
export interface ReportPeriods {
  firstDay: number;
  calibrationEndDay: number;
  holdoutEndDay?: number;
  /** Customers left out because their first transaction is after the calibration end. */
  laterCustomers: number;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const fixed = (value: number, digits: number) => value.toFixed(digits);
/** Four decimals, or scientific notation for values at the optimiser's 1e-8 / 1e8 walls. */
const parameter = (value: number) =>
  value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6) ? value.toExponential(3) : value.toFixed(4);
const count = (value: number, singular: string, plural: string) =>
  `${integer.format(value)} ${value === 1 ? singular : plural}`;

/** The report printed without --json. */
export function formatReport(outcome: ClvFitOutcome, periods: ReportPeriods): string {
  const { report } = outcome;
  const unit = report.timeUnit;
  const modelTitle = report.model === "pareto-nbd" ? "Pareto/NBD" : "BG/NBD";
  const lines: string[] = [];
  lines.push(
    `${modelTitle} fitted to ${count(report.customers, "customer", "customers")} ` +
      `(${count(report.repeatCustomers, "repeat buyer", "repeat buyers")}), time unit: ${unit}`,
  );
  let calibration = `Calibration: ${formatDay(periods.firstDay)} to ${formatDay(periods.calibrationEndDay)}`;
  if (periods.laterCustomers > 0) {
    calibration += `; ${integer.format(periods.laterCustomers)} customers who first bought later are left out`;
  }
  lines.push(calibration, "");
  lines.push("Purchase model");
  for (const [name, value] of Object.entries(report.params)) lines.push(`  ${name.padEnd(15)}${parameter(value)}`);
  lines.push(`  ${"log-likelihood".padEnd(15)}${fixed(report.logLikelihood, 2)}`, "");
  if (report.spend) {
    lines.push("Spend model (Gamma-Gamma, repeat buyers' mean order values)");
    for (const [name, value] of Object.entries(report.spend)) lines.push(`  ${name.padEnd(15)}${parameter(value)}`);
    lines.push(
      `  ${"mean order".padEnd(15)}${Number.isFinite(outcome.meanOrderValue) ? fixed(outcome.meanOrderValue, 2) : "infinite (q <= 1)"}`,
    );
  } else {
    lines.push("Spend model: none (no repeat buyer with positive spend)");
  }
  if (report.holdout && periods.holdoutEndDay === periods.calibrationEndDay) {
    lines.push("", "Holdout: empty (--holdout-end is the calibration end)");
  } else if (report.holdout && periods.holdoutEndDay !== undefined) {
    const { actualRepeatTransactions: actual, predictedRepeatTransactions: predicted } = report.holdout;
    const days = periods.holdoutEndDay - periods.calibrationEndDay;
    const length = unit === "week" ? `${oneDecimal.format(days / 7)} weeks` : `${integer.format(days)} days`;
    const gap =
      actual > 0 ? ` (${predicted >= actual ? "+" : ""}${oneDecimal.format((predicted / actual - 1) * 100)}%)` : "";
    lines.push(
      "",
      `Holdout ${formatDay(periods.calibrationEndDay + 1)} to ${formatDay(periods.holdoutEndDay)} (${length})`,
      `  actual repeat transactions     ${integer.format(actual)}`,
      `  predicted repeat transactions  ${oneDecimal.format(predicted)}${gap}`,
    );
  }
  lines.push("", readingOf(outcome, periods.calibrationEndDay));
  return lines.join("\n");
}

/** The one-line plain-English summary at the end of the report. */
function readingOf(outcome: ClvFitOutcome, calibrationEndDay: number): string {
  const { report } = outcome;
  if (report.repeatCustomers === 0) {
    return "Reading: no customer bought again during calibration, so the model cannot tell who is still active.";
  }
  const share = Math.round(outcome.expectedActiveShare * 100);
  // BG/NBD lets customers drop out only just after a repeat purchase, so it counts everyone who
  // never came back as active; say so, or the share reads as implausibly high.
  const caveat = report.model === "bgnbd" ? " (BG/NBD counts customers who never bought again as active)" : "";
  return (
    `Reading: the model expects about ${share}% of these ${count(report.customers, "customer", "customers")} ` +
    `to still be active on ${formatDay(calibrationEndDay)}${caveat}; while active, they buy at an ` +
    `average rate of once every ${oneDecimal.format(1 / outcome.meanPurchaseRate)} ${report.timeUnit}s.`
  );
}

export interface Output {
  write(text: string): unknown;
}

/** Runs the CLI and returns its exit status; `argv` excludes node and the script. */
export async function runClv(argv: readonly string[], stdout: Output, stderr: Output): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`clv: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === "help") {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const log = await readTransactionCsv(command.file);
    if (log.size === 0) throw new FitError(`${command.file} has no transactions`);
    const calibrationEndDay = command.calibrationEndDay ?? log.lastDay;
    if (command.holdoutEndDay !== undefined && command.holdoutEndDay < calibrationEndDay) {
      const which = command.calibrationEndDay === undefined ? " (by default the last date in the file)" : "";
      throw new UsageError(`--holdout-end is before the calibration end ${formatDay(calibrationEndDay)}${which}`);
    }
    const customers = summarizeTransactions(log.transactions(), {
      calibrationEnd: calibrationEndDay * 86_400_000,
      holdoutEnd: command.holdoutEndDay === undefined ? undefined : command.holdoutEndDay * 86_400_000,
      timeUnit: command.timeUnit,
    });
    if (customers.length === 0) {
      throw new FitError(`No customer made a first purchase on or before ${formatDay(calibrationEndDay)}`);
    }
    const outcome = fitCustomers(customers, {
      model: command.model,
      timeUnit: command.timeUnit,
      holdoutDays: command.holdoutEndDay === undefined ? undefined : command.holdoutEndDay - calibrationEndDay,
    });
    for (const warning of outcome.warnings) stderr.write(`clv: warning: ${warning}\n`);
    if (command.json) {
      stdout.write(`${JSON.stringify(outcome.report)}\n`);
    } else {
      const report = formatReport(outcome, {
        firstDay: log.firstDay,
        calibrationEndDay,
        holdoutEndDay: command.holdoutEndDay,
        laterCustomers: log.customerCount - customers.length,
      });
      stdout.write(`${report}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof CsvInputError) {
      stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      stderr.write(`clv: ${error.message}\n`);
      return 2;
    }
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      stderr.write(`clv: cannot read ${command.file}: ${(error as Error).message}\n`);
      return 2;
    }
    stderr.write(`clv: ${error instanceof FitError ? error.message : String((error as Error).stack ?? error)}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // exitCode rather than exit(): lets a large report finish flushing to a pipe.
  process.exitCode = await runClv(process.argv.slice(2), process.stdout, process.stderr);
}
