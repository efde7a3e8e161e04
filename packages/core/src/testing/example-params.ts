import { InMemoryTablesSql } from './tables-sql.js';

/**
 * The EXECUTE SCRIPT JSON of the user guide of Exasol's SageMaker extension, filled with valid values
 * (https://github.com/exasol/sagemaker-extension/blob/main/doc/user_guide/user_guide.md).
 */
export const EXAMPLE_PARAMS_JSON = `{
    "model_name"                                : "churn-model",
    "aws_credentials_connection_name"           : "AWS_CONNECTION",
    "aws_region"                                : "eu-central-1",
    "iam_sagemaker_role"                        : "arn:aws:iam::123456789012:role/SageMakerExecution",
    "s3_bucket_uri"                             : "s3://sme-training-data",
    "s3_output_path"                            : "autopilot/churn",
    "input_schema_name"                         : "retail",
    "input_table_or_view_name"                  : "customer_churn",
    "target_attribute_name"                     : "churned",
    "problem_type"                              : "BinaryClassification",
    "objective"                                 : "F1",
    "max_runtime_for_automl_job_in_seconds"     : 3600,
    "max_candidates"                            : 10,
    "max_runtime_per_training_job_in_seconds"   : 600
}`;

/** The table {@link EXAMPLE_PARAMS_JSON} trains on: RETAIL.CUSTOMER_CHURN, a feature AGE and the target CHURNED. */
export function exampleTablesSql(rowCount = 600): InMemoryTablesSql {
  return new InMemoryTablesSql().addTable('RETAIL', 'CUSTOMER_CHURN', {
    columns: [
      { name: 'AGE', type: 'DECIMAL(3,0)' },
      { name: 'CHURNED', type: 'BOOLEAN' },
    ],
    rowCount,
  });
}
