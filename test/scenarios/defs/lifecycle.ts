// What a plan does to existing resources, and who writes it: a destroyed host is not deployed
// (`delete`), a replaced one is (`delete`+`create`, or `create`+`delete` with
// create_before_destroy); provider aliases for the two Korean-looking Regions (Seoul
// ap-northeast-2 is Korea, Osaka ap-northeast-3 is Japan); plans written by OpenTofu, whose
// providers come from registry.opentofu.org.

import { cat, ref } from "../builder";
import { R, SEOUL } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";
import { stack } from "./first-apply";

const personalRead = [
  {
    sid: "Datasets",
    actions: ["s3:GetObject", "s3:ListBucket"],
    resources: [ref("aws_s3_bucket.personal.arn"), cat(ref("aws_s3_bucket.personal.arn"), "/*")],
  },
];

export const scenarios: Scenario[] = [
  {
    name: "lifecycle-delete-us-east-1-host-keep-seoul",
    description:
      "The team moves training home: the us-east-1 GPU host that read the personal bucket is destroyed in this plan (removed from the configuration, a `delete` change) and a Seoul host on isolated infrastructure takes over. Nothing deployed trains abroad. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({ region: "us-east-1", statements: personalRead, hostAction: "delete", seoulHost: true }),
  },
  {
    name: "lifecycle-replace-us-east-1-host",
    description:
      "The us-east-1 GPU host that reads the personal bucket is replaced for a new AMI (`delete`, `create`): after apply it still trains on personal data abroad.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({ region: "us-east-1", statements: personalRead, hostAction: "replace" }),
  },
  {
    name: "lifecycle-replace-create-before-destroy-ap-northeast-1",
    description:
      "The Tokyo GPU host is replaced with create_before_destroy (`create`, `delete`): the new host reads the personal bucket abroad.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({ region: "ap-northeast-1", statements: personalRead, hostAction: "replace-cbd" }),
  },
  {
    name: "lifecycle-replace-seoul-host",
    description:
      "The Seoul GPU host on isolated infrastructure is replaced for a new AMI; it keeps reading the personal bucket in Korea. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({ region: SEOUL, statements: personalRead, hostAction: "replace" }),
  },
  {
    name: "alias-osaka-ap-northeast-3-personal",
    description:
      'A provider alias "aws.train" for ap-northeast-3 (Osaka, Japan), next to the Seoul default provider: the GPU host reading the personal bucket runs outside Korea.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({ region: "ap-northeast-3", statements: personalRead }),
  },
  {
    name: "alias-osaka-host-seoul-host-open-data",
    description:
      "GPU hosts in Osaka (ap-northeast-3) and Seoul share a role that reads only the public benchmark bucket; the personal bucket in Seoul is read by nothing. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({
      region: "ap-northeast-3",
      seoulHost: true,
      statements: [
        {
          sid: "Benchmarks",
          actions: ["s3:GetObject", "s3:ListBucket"],
          resources: [ref("aws_s3_bucket.open.arn"), cat(ref("aws_s3_bucket.open.arn"), "/*")],
        },
      ],
    }),
  },
  {
    name: "opentofu-first-apply-us-west-2",
    description:
      "The first-apply stack planned by OpenTofu 1.9 (providers from registry.opentofu.org): the us-west-2 GPU host reads the new personal bucket through a deferred policy document.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({ region: "us-west-2", statements: personalRead, opentofu: true, terraformVersion: "1.9.1" }),
  },
  {
    name: "opentofu-first-apply-seoul",
    description:
      "The same stack planned by OpenTofu 1.8.8 with the host in Seoul on isolated infrastructure. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({ region: SEOUL, statements: personalRead, opentofu: true, terraformVersion: "1.8.8" }),
  },
];
