import { IPolicyValidationPlugin } from 'aws-cdk-lib';

// The compliance gate's public types (jsii surface): what `BaselineCompliance.enable` returns.

/** One reason the gate fails synth. */
export interface GateProblem {
  /** The plugin (pack) that found it, or the gate itself. */
  readonly pack: string;
  /** The finding's rule ID, as it would be acknowledged. */
  readonly ruleId: string;
  /** Construct path (or `<template>#<logical id>` when no construct is known). */
  readonly path: string;
  readonly message: string;
}

/** The compliance gate as `BaselineCompliance.enable` returns it: its verdict and report after a synth. */
export interface IComplianceGate extends IPolicyValidationPlugin {
  /** What failed the last synth; empty when it passed (or before any synth). */
  readonly lastProblems: GateProblem[];
  /** The last controls report, as JSON text (schema: docs/compliance-report.schema.json). */
  readonly lastReportJson?: string;
}
