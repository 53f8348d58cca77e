/* commands.h - the netsim subcommands. Each takes (argc, argv) with argv[0]
 * being the subcommand name, parses its own options with GOptionContext,
 * and returns the process exit status (0 ok, 1 scenario failure, 2 bad
 * input or usage). */
#pragma once

int sim_cmd_run(int argc, char **argv);
int sim_cmd_check(int argc, char **argv);
int sim_cmd_step(int argc, char **argv);
int sim_cmd_dot(int argc, char **argv);
int sim_cmd_play(int argc, char **argv);
int sim_cmd_subnet(int argc, char **argv);
int sim_cmd_gen(int argc, char **argv);
