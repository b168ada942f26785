// Lake Formation: the training role gets no S3 permission of its own; Lake Formation grants it a
// catalog table (SELECT) or a data location, and vends credentials for the registered bucket.

import { cat, fn, jsonencode, ref, type Res } from "../builder";
import { R, SEOUL } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";
import { stack } from "./first-apply";

/** The personal bucket registered with Lake Formation, a catalog database and a claims table over it. */
function lake(grant: "table" | "data-location" | "open-table"): Res[] {
  const out: Res[] = [
    {
      type: "aws_lakeformation_resource",
      name: "claims",
      cfg: { arn: ref("aws_s3_bucket.personal.arn"), use_service_linked_role: true },
    },
    {
      type: "aws_glue_catalog_database",
      name: "claims",
      cfg: { name: "claims_curated", location_uri: cat("s3://", ref("aws_s3_bucket.personal.bucket"), "/curated/") },
    },
    {
      type: "aws_glue_catalog_table",
      name: "claims",
      cfg: {
        database_name: ref("aws_glue_catalog_database.claims.name"),
        name: "claim_events",
        table_type: "EXTERNAL_TABLE",
        parameters: { classification: "parquet" },
        storage_descriptor: [
          {
            location: cat("s3://", ref("aws_s3_bucket.personal.bucket"), "/curated/claim_events/"),
            input_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            output_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            ser_de_info: [{ serialization_library: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" }],
            columns: [
              { name: "claim_id", type: "string" },
              { name: "policyholder_id", type: "string" },
              { name: "amount", type: "decimal(12,2)" },
            ],
          },
        ],
      },
    },
  ];
  if (grant === "open-table")
    out.push(
      {
        type: "aws_glue_catalog_table",
        name: "benchmarks",
        cfg: {
          database_name: ref("aws_glue_catalog_database.claims.name"),
          name: "open_benchmarks",
          table_type: "EXTERNAL_TABLE",
          storage_descriptor: [
            {
              location: cat("s3://", ref("aws_s3_bucket.open.bucket"), "/benchmarks/"),
              columns: [
                { name: "task", type: "string" },
                { name: "score", type: "double" },
              ],
            },
          ],
        },
      },
      {
        type: "aws_lakeformation_permissions",
        name: "trainer_benchmarks",
        cfg: {
          principal: ref("aws_iam_role.trainer.arn"),
          permissions: ["SELECT"],
          table: [
            {
              database_name: ref("aws_glue_catalog_database.claims.name"),
              name: ref("aws_glue_catalog_table.benchmarks.name"),
            },
          ],
        },
      },
    );
  if (grant === "table")
    out.push({
      type: "aws_lakeformation_permissions",
      name: "trainer_claims",
      cfg: {
        principal: ref("aws_iam_role.trainer.arn"),
        permissions: ["SELECT", "DESCRIBE"],
        table: [
          {
            database_name: ref("aws_glue_catalog_database.claims.name"),
            name: ref("aws_glue_catalog_table.claims.name"),
          },
        ],
      },
    });
  else if (grant === "data-location")
    out.push({
      type: "aws_lakeformation_permissions",
      name: "trainer_location",
      cfg: {
        principal: ref("aws_iam_role.trainer.arn"),
        permissions: ["DATA_LOCATION_ACCESS"],
        data_location: [{ arn: ref("aws_s3_bucket.personal.arn") }],
      },
    });
  return out;
}

// Lake Formation consumers need lakeformation:GetDataAccess and Glue catalog reads in IAM.
const consumer = fn(
  jsonencode({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "LakeFormation",
        Effect: "Allow",
        Action: [
          "lakeformation:GetDataAccess",
          "glue:GetTable",
          "glue:GetTables",
          "glue:GetDatabase",
          "glue:GetPartitions",
        ],
        Resource: "*",
      },
    ],
  }),
);

export const scenarios: Scenario[] = [
  {
    name: "lakeformation-table-select-us-east-1",
    description:
      "Lake Formation grants the us-east-1 GPU host's role SELECT on a catalog table over the personal bucket (registered with Lake Formation); the role has no S3 permission but Lake Formation vends credentials. Personal-data training abroad.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({ region: "us-east-1", inlinePolicy: consumer, extra: lake("table") }),
  },
  {
    name: "lakeformation-data-location-eu-west-1",
    description:
      "Lake Formation grants the Irish GPU host's role DATA_LOCATION_ACCESS on the personal bucket: it can register tables over the personal data and read them. Personal-data training abroad.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({ region: "eu-west-1", inlinePolicy: consumer, extra: lake("data-location") }),
  },
  {
    name: "lakeformation-open-table-only-us-east-1",
    description:
      "The us-east-1 role holds the usual Lake Formation consumer IAM policy (lakeformation:GetDataAccess and Glue catalog reads on *) but Lake Formation grants it SELECT only on the public benchmark table; the personal claims table is in the same catalog. Catalog reads are metadata: it reads no personal data.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({ region: "us-east-1", inlinePolicy: consumer, extra: lake("open-table") }),
  },
  {
    name: "lakeformation-table-select-seoul",
    description: "The same Lake Formation SELECT grant to a Seoul GPU host on isolated infrastructure. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({ region: SEOUL, inlinePolicy: consumer, extra: lake("table") }),
  },
];
