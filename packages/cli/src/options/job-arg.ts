/** How every command's `<job>` argument is described in `--help`. */
export const JOB_ARG = 'job name, or a model name for its latest job (churn → the newest churn-yyMMddHHmmss)';
